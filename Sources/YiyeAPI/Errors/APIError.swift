import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import OpenAPIRuntime
import YiyeCore
import YiyeStore

/// The one error type the API answers with: an HTTP status, a stable code and a Chinese message.
public struct APIError: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var field: String?
    /// Already in the audit trail (refusals, sign-in failures): the error middleware does not record it again.
    public var audited: Bool
    /// Extra response headers (e.g. `Allow` on a 405).
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, field: String? = nil, audited: Bool = false) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.audited = audited
    }

    static func notFound(_ what: String) -> APIError {
        APIError(.notFound, "not_found", "\(what)不存在")
    }

    static func badParameter(_ name: String, _ message: String) -> APIError {
        APIError(.badRequest, "invalid_parameter", message, field: name)
    }

    static let `internal` = APIError(.internalServerError, "internal_error", "服务器内部错误，请凭请求编号联系管理员")
}

extension APIError {
    /// Maps anything thrown while serving a request. Unexpected errors are logged in full and answered 500;
    /// PostgreSQL's own messages never reach the client.
    static func from(_ error: any Error, logger: Logger) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as DomainError:
            let status: HTTPResponse.Status =
                error.rule.isStateConflict ? .conflict : error.rule.refusesActor ? .forbidden : .unprocessableContent
            return APIError(status, error.rule.rawValue, error.message, field: error.field)
        case StoreError.alreadyExists:
            return APIError(.conflict, "already_exists", "编码已被使用")
        case StoreError.notFound:
            return APIError(.notFound, "not_found", "请求的对象不存在")
        case StoreError.invalidInput:
            return APIError(.badRequest, "invalid_input", "输入包含无法保存的字符或数值（如空字符 \\u0000）")
        case StoreError.constraint(let code):
            return APIError(.unprocessableContent, code, "数据不符合约束：引用的对象不存在或取值超出范围")
        case ListDraftError.draftExists:
            return APIError(.conflict, "draft_exists", "已有未发布的草稿，请先发布或放弃该草稿")
        case ListDraftError.noDraft:
            return APIError(.notFound, "no_draft", "没有未发布的草稿")
        case StoreError.unavailable:
            return APIError(.serviceUnavailable, "database_unavailable", "数据库暂不可用，请稍后重试")
        case let error as ServerError where error.underlyingError is APIError || error.underlyingError is DomainError:
            // Refused by one of the OpenAPI middlewares (access, the request contract) or by a handler.
            return from(error.underlyingError, logger: logger)
        case let error as ServerError:
            // No operation input means the runtime could not decode the request: the client's fault.
            guard error.operationInput != nil else {
                // The runtime reports a wrong Content-Type only through its description.
                if error.causeDescription.hasPrefix("Unexpected content type") { return .unsupportedBody }
                // The request contract checks first, so this is a gap between it and the decoder: logged, never shown.
                logger.warning("request passed the contract but not the decoder", metadata: ["error": .string(error.causeDescription)])
                return APIError(.badRequest, "malformed_request", "请求格式不正确，请对照接口文档检查字段与取值")
            }
            return from(error.underlyingError, logger: logger)
        case let error as any HTTPResponseError where error.status.code < 500:
            return APIError(error.status, Self.code(for: error.status), Self.message(for: error.status))
        default:
            logger.error("unexpected error", metadata: ["error": .string(String(reflecting: error))])
            return .internal
        }
    }

    private static func code(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .contentTooLarge: "payload_too_large"
        case .unsupportedMediaType: "unsupported_media_type"
        default: "bad_request"
        }
    }

    private static func message(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "请求的资源不存在"
        case .methodNotAllowed: "不支持该请求方法"
        case .contentTooLarge: "请求内容过大"
        case .unsupportedMediaType: unsupportedBody.message
        default: "请求格式不正确"
        }
    }
}

extension APIError {
    /// The spec allows only JSON bodies; the generated enum may grow, so the other cases are refused here.
    static let unsupportedBody = APIError(.unsupportedMediaType, "unsupported_media_type", "请求内容类型不受支持，请使用 application/json")
}

extension CalendarDate {
    /// A date the request gives as `YYYY-MM-DD`, or 400 naming `field`.
    init(field: String, _ text: String) throws {
        guard let date = CalendarDate(text) else { throw APIError.badParameter(field, "\(field) 须为 YYYY-MM-DD 格式的日期") }
        self = date
    }
}
