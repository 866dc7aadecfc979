import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// Objections to published results (异议), their re-examination and feedback.
public struct ObjectionRepository: Sendable {
    let client: PostgresClient
    /// Seals and opens the objecting business's contact (个人信息).
    let cipher: PersonalDataCipher
    let logger: Logger

    public init(client: PostgresClient, cipher: PersonalDataCipher, logger: Logger) {
        self.client = client
        self.cipher = cipher
        self.logger = logger
    }

    /// Where the disputed result stands when an objection is filed.
    public struct Filing: Sendable {
        public var department: DepartmentCode
        /// The version the public sees now.
        public var latest: PublishedVersion
        /// The day it was published (China time).
        public var publishedOn: CalendarDate
        /// Whether another objection to it is still being re-examined.
        public var open: Bool
    }

    /// Files an objection to the published result `resultID` (not found unless published): `make` builds it from where
    /// the result stands, under a lock on the result; the department hears of it. Returns it with its receipt number.
    public func file(
        resultID: Int64, checkCodeDigest: String, audit: AuditRecord.Entry, make: @Sendable @escaping (Filing) throws -> Objection
    ) async throws -> Objection {
        let keys = try await cipher.keys()
        return try await client.audited(audit, logger: logger) { connection in
            guard
                let (department, version) = try await connection.query(
                    "SELECT department, version FROM inspection_results WHERE id = \(resultID) AND status = 'published' FOR UPDATE",
                    logger: logger
                ).decode((DepartmentCode, Int).self).all().first
            else { throw StoreError.notFound }
            guard
                let latest = try await ResultRepository.versions(of: resultID, on: connection, logger: logger).first(where: {
                    $0.version == version
                })
            else { throw StoreError.unexpected("result \(resultID) lacks its version \(version)") }
            let filing = Filing(
                department: department, latest: latest, publishedOn: CalendarDate(chinaDateOf: latest.publishedAt),
                open: latest.underObjection)
            var objection = try make(filing)
            let inserted = try await connection.query(
                """
                INSERT INTO objections (check_code_digest, result_id, department, version, channel, credit_code, business_name, contact,
                                        grounds, attachments, received_on, registered_by, reexamine_due)
                VALUES (\(checkCodeDigest), \(resultID), \(department), \(version), \(objection.channel.rawValue), \(objection.creditCode),
                        \(objection.businessName), \(keys.seal(objection.contact, .objectionContact)), \(objection.grounds), \(objection.attachments),
                        \(objection.receivedOn.description)::date, \(objection.registeredBy), \(objection.reexamineDue.description)::date)
                RETURNING id, receipt_number
                """, logger: logger
            ).decode((Int64, String).self).all()
            guard let (id, receipt) = inserted.first else { throw StoreError.unexpected("objection not inserted") }
            objection.id = id
            objection.receiptNumber = receipt
            try await NotificationRepository.insert(
                Notice.each(
                    [department], kind: .objectionReceived,
                    title: "收到异议（受理编号 \(receipt)）：\(latest.content.objectName)对检查结果提出异议，请于\(objection.reexamineDue.chineseDescription)前复查",
                    subject: .objection, id: id),
                on: connection, logger: logger)
            return objection
        }
    }

    private static let columns = """
        o.id, o.receipt_number, o.result_id, o.department, o.version, o.channel, o.credit_code, o.business_name, o.contact, o.grounds,
        o.attachments, to_char(o.received_on, 'YYYY-MM-DD'), o.registered_by, to_char(o.reexamine_due, 'YYYY-MM-DD'), o.status,
        o.decided_by, to_char(o.decided_on, 'YYYY-MM-DD'), o.opinion, to_char(o.feedback_due, 'YYYY-MM-DD'),
        to_char(o.feedback_on, 'YYYY-MM-DD'), o.feedback, o.check_code_digest, r.draw_id, r.credit_code
        """
    private typealias Row = (
        Int64, String, Int64, DepartmentCode, Int, String, String, String, String, String, [String], String, String?, String, String,
        String?, String?, String, String?, String?, String, String, DrawID, String
    )

    /// An objection as stored, with the digest of its check code and the key of the result it disputes.
    public struct Stored: Sendable {
        public var objection: Objection
        public var checkCodeDigest: String
        public var result: ResultRepository.Key
    }

    /// The objection `id`.
    public func objection(_ id: Int64) async throws -> Stored? {
        var conditions = SQLConditions()
        conditions.add("o.id = \(try conditions.bind(id))")
        return try await select(conditions, limit: 1).first
    }

    /// The objection with the receipt number `receipt`.
    public func objection(receipt: String) async throws -> Stored? {
        var conditions = SQLConditions()
        conditions.add("o.receipt_number = \(try conditions.bind(receipt))")
        return try await select(conditions, limit: 1).first
    }

    /// The objections to `department`'s results (every department's for nil), newest first, before the id `cursor`.
    public func objections(of department: DepartmentCode?, status: Objection.Status?, before cursor: Int64?, limit: Int) async throws
        -> [Stored]
    {
        var conditions = SQLConditions()
        if let department { conditions.add("o.department = \(try conditions.bind(department))") }
        if let status { conditions.add("o.status = \(try conditions.bind(status.rawValue))") }
        if let cursor { conditions.add("o.id < \(try conditions.bind(cursor))") }
        return try await select(conditions, limit: limit)
    }

    private func select(_ conditions: SQLConditions, limit: Int) async throws -> [Stored] {
        let keys = try await cipher.keys()
        return try await client.translatingErrors {
            let query = PostgresQuery(
                unsafeSQL: """
                    SELECT \(Self.columns) FROM objections o JOIN inspection_results r ON r.id = o.result_id
                    \(conditions.whereClause) ORDER BY o.id DESC LIMIT \(limit)
                    """, binds: conditions.binds)
            return try await client.query(query, logger: logger).decode(Row.self).all().map { try Self.stored($0, keys) }
        }
    }

    /// Applies `change` to the objection under a lock and, when `result` is given, changes that result in the same
    /// transaction (an upheld objection's corrected version).
    public func modify(
        _ id: Int64, audit: AuditRecord.Entry,
        result: (key: ResultRepository.Key, change: @Sendable (inout InspectionResult) throws -> ResultRepository.Event?)? = nil,
        _ change: @Sendable @escaping (inout Objection) throws -> Void
    ) async throws {
        let keys = try await cipher.keys()
        try await client.audited(audit, logger: logger) { connection in
            guard
                let locked = try await connection.query(
                    """
                    SELECT \(unescaped: Self.columns) FROM objections o JOIN inspection_results r ON r.id = o.result_id
                    WHERE o.id = \(id) FOR UPDATE OF o
                    """, logger: logger
                ).decode(Row.self).all().first.map({ try Self.stored($0, keys) })
            else { throw StoreError.notFound }
            var objection = locked.objection
            try change(&objection)
            if let result {
                try await ResultRepository.modify(result.key, on: connection, logger: logger, result.change)
            }
            _ = try await connection.query(
                """
                UPDATE objections SET status = \(objection.status.rawValue), decided_by = \(objection.decidedBy),
                       decided_on = \(objection.decidedOn?.description)::date, opinion = \(objection.opinion),
                       feedback_due = \(objection.feedbackDue?.description)::date, feedback_on = \(objection.feedbackOn?.description)::date,
                       feedback = \(objection.feedback)
                WHERE id = \(id)
                """, logger: logger)
        }
    }

    private static func stored(_ row: Row, _ keys: PersonalDataKeys) throws -> Stored {
        func date(_ text: String?) throws -> CalendarDate? {
            guard let text else { return nil }
            guard let date = CalendarDate(text) else { throw StoreError.unexpected("objection \(row.0) has an unreadable date") }
            return date
        }
        guard let received = try date(row.11), let due = try date(row.13) else { throw StoreError.unexpected("objection \(row.0)") }
        let objection = Objection(
            id: row.0, receiptNumber: row.1, resultID: row.2, department: row.3, version: row.4, channel: try .init(code: row.5),
            creditCode: row.6, businessName: row.7, contact: try keys.open(row.8, .objectionContact), grounds: row.9, attachments: row.10,
            receivedOn: received,
            registeredBy: row.12, reexamineDue: due, status: try .init(code: row.14), decidedBy: row.15, decidedOn: try date(row.16),
            opinion: row.17, feedbackDue: try date(row.18), feedbackOn: try date(row.19), feedback: row.20)
        return Stored(
            objection: objection, checkCodeDigest: row.21,
            result: ResultRepository.Key(drawID: row.22, creditCode: row.23, department: row.3))
    }
}
