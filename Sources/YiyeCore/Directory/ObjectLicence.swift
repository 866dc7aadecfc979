import Foundation

/// A licence an object holds (许可证), as the issuing department imports it (e.g. 成品油零售经营批准证书,
/// 危险化学品经营许可证): one per object and licence name, replaced by the next import of the same.
public struct ObjectLicence: Sendable, Equatable {
    /// The licence as issued.
    public enum Status: String, Sendable, CaseIterable, Labelled {
        case valid
        case suspended
        case revoked

        public var label: String {
            switch self {
            case .valid: "有效"
            case .suspended: "暂扣"
            case .revoked: "吊销"
            }
        }
    }

    /// What a grading indicator reads of an object's licence on a day (许可证状态).
    public enum State: String, Sendable, CaseIterable, Labelled {
        case valid
        /// Valid, and expiring within `expiringDays` days.
        case expiring
        case expired
        case suspended
        case revoked
        /// The object holds no licence of that name.
        case none

        public var label: String {
            switch self {
            case .valid: "有效"
            case .expiring: "即将到期（\(ObjectLicence.expiringDays) 日内）"
            case .expired: "已过期"
            case .suspended: "暂扣"
            case .revoked: "吊销"
            case .none: "无此许可证"
            }
        }
    }

    /// A valid licence ending within this many days is expiring.
    public static let expiringDays = 90

    public var creditCode: String
    /// The licence's name, e.g. 成品油零售经营批准证书: 1 to 50 characters.
    public var licence: String
    public var number: String
    public var issuedBy: DepartmentCode
    /// The last day it is valid; none for a licence without end.
    public var validUntil: CalendarDate?
    public var status: Status

    public init(
        creditCode: String, licence: String, number: String, issuedBy: DepartmentCode, validUntil: CalendarDate?, status: Status
    ) {
        self.creditCode = creditCode
        self.licence = licence
        self.number = number
        self.issuedBy = issuedBy
        self.validUntil = validUntil
        self.status = status
    }

    /// What the licence is on `day`.
    public func state(on day: CalendarDate) -> State {
        switch status {
        case .suspended: return .suspended
        case .revoked: return .revoked
        case .valid:
            guard let validUntil else { return .valid }
            if validUntil < day { return .expired }
            return validUntil < day.adding(days: Self.expiringDays) ? .expiring : .valid
        }
    }

    public func validate() throws(DomainError) {
        try CreditCode.validate(creditCode, field: "creditCode")
        try Self.validate(licence: licence, field: "licence")
        guard !number.isEmpty, number.count <= 64, number.trimmingWhitespace.count == number.count,
            !number.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw DomainError(.invalidValue, "许可证编号须为 1 至 64 个字符，首尾不能有空白", field: "number")
        }
    }

    /// Licence names: 1 to 50 characters, no surrounding blanks or control characters.
    public static func validate(licence: String, field: String) throws(DomainError) {
        guard !licence.isEmpty, licence.count <= 50, licence.trimmingWhitespace.count == licence.count,
            !licence.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw DomainError(.invalidValue, "许可证名称须为 1 至 50 个字符，首尾不能有空白", field: field)
        }
    }
}

/// The licence import's CSV layout: one header row (Chinese or English column names), then one licence a row; the
/// importing department is the issuing one.
public struct LicenceCSV: Sendable {
    public enum Column: String, CSVColumn {
        case creditCode, licence, number, validUntil, status

        public var chineseName: String {
            switch self {
            case .creditCode: "统一社会信用代码"
            case .licence: "许可证名称"
            case .number: "许可证编号"
            case .validUntil: "有效期至"
            case .status: "状态"
            }
        }

        public var required: Bool { [.creditCode, .licence, .number].contains(self) }
    }

    private let layout: CSVLayout<Column>

    public init(header: [String]) throws(DomainError) {
        layout = try CSVLayout(header: header)
    }

    /// One row as a licence issued by `department`, or the rule it breaks.
    public func licence(from fields: [String], issuedBy department: DepartmentCode) throws(DomainError) -> ObjectLicence {
        let row = try layout.row(fields)
        let licence = ObjectLicence(
            creditCode: row.value(.creditCode), licence: row.value(.licence), number: row.value(.number), issuedBy: department,
            validUntil: try row.date(.validUntil), status: try row.enumerated(.status, \.label) ?? .valid)
        try licence.validate()
        return licence
    }
}
