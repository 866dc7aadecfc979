import Foundation
import Hummingbird

/// A page's form as the browser posts it (`application/x-www-form-urlencoded`): its fields in order, a name
/// repeated where checkboxes share it. Text that is not valid percent-encoding reads as empty, never as an error page.
struct WebForm: Sendable {
    let fields: [(name: String, value: String)]

    init(_ fields: [(name: String, value: String)]) {
        self.fields = fields
    }

    init(encoded text: String) {
        self.fields = text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ part: Substring?) -> String {
                (part.map { String($0).replacingOccurrences(of: "+", with: " ") }?.removingPercentEncoding) ?? ""
            }
            return (decoded(parts.first), decoded(parts.count > 1 ? parts[1] : nil))
        }
    }

    /// Reads the posted form; one larger than `limit` bytes is refused (413) before it is read further.
    static func read(_ request: Request, limit: Int = 65_536) async throws -> WebForm {
        WebForm(encoded: String(buffer: try await request.body.collect(upTo: limit)))
    }

    /// The first value of `name`, trimmed; nil when absent or empty.
    subscript(_ name: String) -> String? {
        guard let value = fields.first(where: { $0.name == name })?.value.trimmingCharacters(in: .whitespacesAndNewlines),
            !value.isEmpty
        else { return nil }
        return value
    }

    /// Every non-empty value of `name`, in order.
    func all(_ name: String) -> [String] {
        fields.filter { $0.name == name && !$0.value.isEmpty }.map(\.value)
    }

    /// The whole number in `name`, or nil when absent; text that is not one is refused naming the field.
    func integer(_ name: String, label: String) throws -> Int? {
        guard let text = self[name] else { return nil }
        guard let value = Int(text) else { throw APIError.badParameter(name, "\(label)应为整数") }
        return value
    }
}
