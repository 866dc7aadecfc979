import Foundation

/// The OpenAPI document the server is generated from, shipped as a resource of this module: served at
/// `/api/v1/openapi.yaml`, read by the request contract and by the tests.
package enum OpenAPIDocument {
    package static let text: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { fatalError("openapi.yaml is missing from the YiyeContract resources") }
        return text
    }()
}
