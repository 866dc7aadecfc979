import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// Joint draws in PostgreSQL: freeze, commitments and reveals, execution under the annual cap, the record.
public struct DrawRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The deadlines an execution sets: each sending department confirms its assignments (the next working day), and
    /// publishes its results (working days after the task window's end, 000 §3.1.2).
    public struct ExecutionDeadlines: Sendable {
        public var confirmation: (count: WorkingDayCount, date: CalendarDate)
        public var results: (count: WorkingDayCount, date: CalendarDate)

        public init(confirmation: (count: WorkingDayCount, date: CalendarDate), results: (count: WorkingDayCount, date: CalendarDate)) {
            self.confirmation = confirmation
            self.results = results
        }
    }

    /// A draw as stored, with where it stands.
    public struct Draw: Sendable {
        public var id: DrawID
        public var taskID: TaskID
        public var year: Int
        public var parameters: DrawRecord.Parameters
        public var poolDigest: String
        public var inspectorDigest: String
        public var strata: [DrawRecord.Stratum]
        public var exclusions: [DrawRecord.Exclusion]
        public var state: DrawState
        public var record: DrawRecord?
        public var frozenAt: Date
    }

    private static let columns = """
        d.id, d.task_id, d.year, d.parameters::text, d.pool_digest, d.inspector_digest, d.strata::text, d.exclusions::text,
        d.commit_deadline, d.reveal_deadline, d.beacon_value, d.record::text, d.frozen_at, t.status = 'closed', d.beacon_entered_by,
        d.beacon_entered_at, d.void_reason
        """
    private typealias Row = (
        DrawID, TaskID, Int, String, String, String, String, String, Date, Date, String?, String?, Date, Bool, String?, Date?, String?
    )

    /// Freezes the task's draw (docs/DRAW-SPEC.md §1): evaluates its scope once, leaves out deregistered objects, those
    /// inspected twice this year and those in another open task (each with its reason), and stores the object pool,
    /// the inspector pool of every contributing department and the conflict pairs, with their digests.
    public func freeze(
        task: InspectionTask, parameters: DrawRecord.Parameters, commitDeadline: Date, revealDeadline: Date, at now: Date,
        audit: AuditRecord.Entry
    ) async throws -> DrawID {
        guard let taskID = task.id else { throw StoreError.notFound }
        let year = task.windowStart.year
        return try await client.transaction(logger: logger, deadline: Self.deadline) { connection in
            let clock = ContinuousClock()
            var marks: [(String, ContinuousClock.Instant)] = [("start", clock.now)]
            // The scope's groups are aggregated in memory rather than on disk (PostgreSQL's default is 4 MB). The few
            // large queries here run once: compiling them (JIT) costs more than it saves.
            _ = try await connection.query("SET LOCAL work_mem = '128MB'", logger: logger)
            _ = try await connection.query("SET LOCAL jit = off", logger: logger)
            // The conflict pairs in force during the window; those of objects that enter the pool are kept.
            let declared = try await Self.conflicts(
                parameters.contributors, window: (task.windowStart, task.windowEnd), on: connection, logger: logger)
            marks.append(("conflicts", clock.now))
            // The pool file is built from the scope's groups, each a run of ids; deregistered objects are
            // left out, then those inspected twice this year, then those in another open task.
            var writer = ObjectPool.Writer()
            var excluded: [(String, ExclusionReason)] = []
            let scope = try await Self.scope(task, on: connection, logger: logger)
            for try await (key, status, run) in scope.decode((String?, String, ByteBuffer).self) {
                let ids = Array(buffer: run)
                guard try InspectedObject.Status(code: status) != .deregistered else {
                    excluded += ids.split(separator: 0x0A).map { (String(decoding: $0, as: UTF8.self), .deregistered) }
                    continue
                }
                writer.append(stratum: task.sampling.stratum(key), ids: ids)
            }
            marks.append(("scope", clock.now))
            excluded += writer.remove(try await Self.capped(year: year, on: connection, logger: logger)).map { ($0, .annualCap) }
            excluded += writer.remove(try await Self.inOpenTasks(besides: taskID, on: connection, logger: logger)).map { ($0, .openTask) }
            marks.append(("excluded", clock.now))
            guard let file = writer.file else { throw StoreError.unexpected("an object came twice in the scope") }
            let counts = writer.counts
            let digest = SM3.hex(file)
            let sizes = try JointDraw.sizes(counts: counts, sampling: parameters.sampling)
            try task.sampling.checkMinimum(drawn: sizes.values.reduce(0, +), of: writer.count)
            let pooled = writer.members(among: declared.map(\.objectID))
            let inspectors = InspectorPool(
                entries: try await Self.inspectors(parameters.contributors, on: connection, logger: logger),
                conflicts: declared.filter { pooled.contains($0.objectID) })
            marks.append(("inspectors", clock.now))
            let strata = counts.keys.sorted { $0.bytesLess($1) }.map { DrawRecord.Stratum(stratum: $0, n: counts[$0]!, k: sizes[$0]!) }
            let exclusions = ExclusionReason.allCases.compactMap { reason -> DrawRecord.Exclusion? in
                let count = excluded.filter { $0.1 == reason }.count
                return count == 0 ? nil : .init(reason: reason.rawValue, count: count)
            }
            let rows = try await connection.query(
                """
                INSERT INTO draws (task_id, year, parameters, object_pool, inspector_pool, conflict_pool, pool_digest,
                                   inspector_digest, strata, exclusions, commit_deadline, reveal_deadline, frozen_by, frozen_at)
                VALUES (\(taskID), \(year), \(try JSONText.encode(parameters))::jsonb, \(ByteBuffer(bytes: file)),
                        \(ByteBuffer(bytes: inspectors.file)), \(ByteBuffer(bytes: inspectors.conflictFile)), \(digest),
                        \(inspectors.digest), \(try JSONText.encode(strata))::jsonb, \(try JSONText.encode(exclusions))::jsonb,
                        \(commitDeadline), \(revealDeadline), \(audit.actor ?? "system"), \(now))
                RETURNING id
                """, logger: logger)
            guard let id = try await rows.decode(DrawID.self).all().first else { throw StoreError.unexpected("draw not inserted") }
            marks.append(("files", clock.now))
            _ = try await connection.query(
                """
                INSERT INTO draw_exclusions (draw_id, credit_code, reason)
                SELECT \(id), code, reason FROM unnest(\(excluded.map(\.0))::text[], \(excluded.map(\.1.rawValue))::text[]) AS e (code, reason)
                """, logger: logger)
            var entry = audit
            entry.objectID = id.description
            entry.details =
                "任务 \(taskID)：候选 \(writer.count)，排除 \(excluded.count)，抽取 \(sizes.values.reduce(0, +))；"
                + "对象池摘要 \(digest)"
            try await AuditTrail.append(entry, on: connection, logger: logger)
            marks.append(("exclusions", clock.now))
            logger.info("draw frozen", metadata: Self.phases(marks))
            return id
        }
    }

    /// The industry's objects within the task's scope, grouped by what decides their stratum and whether they enter the
    /// pool (risk class, or grade in the industry when the task samples by grade; status), each group's ids joined by
    /// LF: a handful of rows (decoding a million one by one cost two seconds).
    private static func scope(_ task: InspectionTask, on connection: PostgresConnection, logger: Logger) async throws
        -> PostgresRowSequence
    {
        var conditions = SQLConditions()
        let industry = try conditions.bind(task.industry)
        conditions.add("o.industries @> ARRAY[\(industry)]")
        let scope = task.scope
        if !scope.kinds.isEmpty { conditions.add("o.kind = ANY(\(try conditions.bind(scope.kinds.map(\.rawValue))))") }
        if !scope.scales.isEmpty { conditions.add("o.scale = ANY(\(try conditions.bind(scope.scales)))") }
        if !scope.regions.isEmpty { conditions.add("o.region_code LIKE ANY(\(try conditions.bind(scope.regions.map { $0 + "%" })))") }
        if !scope.tags.isEmpty { conditions.add("o.tags && \(try conditions.bind(scope.tags))") }
        if !scope.objects.isEmpty { conditions.add("o.credit_code = ANY(\(try conditions.bind(scope.objects)))") }
        // Unsorted: ObjectPool.Writer sorts the runs in a fraction of the time PostgreSQL takes to sort the rows.
        let byGrade = task.sampling.basis == .grade
        let sql = """
            SELECT \(byGrade ? "g.grade" : "o.risk_class"), o.status, string_agg(o.credit_code, E'\\n')
            FROM objects o \(byGrade ? "LEFT JOIN object_grades g ON g.industry_code = \(industry) AND g.credit_code = o.credit_code" : "")
            \(conditions.whereClause) GROUP BY 1, 2
            """
        return try await connection.query(PostgresQuery(unsafeSQL: sql, binds: conditions.binds), logger: logger)
    }

    /// The objects inspected as often as a year allows (counted inspections, DOMAIN.md).
    private static func capped(year: Int, on connection: PostgresConnection, logger: Logger) async throws -> [String] {
        try await connection.query(
            """
            SELECT credit_code FROM counted_inspections WHERE year = \(year)
            GROUP BY credit_code HAVING count(*) >= \(ExclusionReason.inspectionsPerYear)
            """, logger: logger
        ).decode(String.self).all()
    }

    /// The objects drawn by the open tasks other than this one.
    private static func inOpenTasks(besides taskID: TaskID, on connection: PostgresConnection, logger: Logger) async throws -> [String] {
        try await connection.query(
            """
            SELECT DISTINCT d.credit_code FROM drawn_objects d JOIN draws w ON w.id = d.draw_id JOIN tasks t ON t.id = w.task_id
            WHERE t.status = 'open' AND t.id <> \(taskID)
            """, logger: logger
        ).decode(String.self).all()
    }

    /// Active inspectors of the contributing departments.
    private static func inspectors(
        _ departments: [DepartmentCode], on connection: PostgresConnection, logger: Logger
    ) async throws -> [InspectorPool.Entry] {
        try await connection.query(
            """
            SELECT id, department_code, qualifications FROM inspectors
            WHERE department_code = ANY(\(departments)) AND status = 'active'
            """, logger: logger
        ).decode((Int64, DepartmentCode, [String]).self).all()
            .map { InspectorPool.Entry(department: $0.1, inspectorID: String($0.0), qualifications: $0.2) }
    }

    /// The conflicts of those inspectors in force during the window.
    private static func conflicts(
        _ departments: [DepartmentCode], window: (CalendarDate, CalendarDate), on connection: PostgresConnection, logger: Logger
    ) async throws -> [InspectorPool.Conflict] {
        try await connection.query(
            """
            SELECT c.credit_code, c.inspector_id FROM conflict_declarations c JOIN inspectors i ON i.id = c.inspector_id
            WHERE i.department_code = ANY(\(departments)) AND i.status = 'active'
              AND c.valid_from <= \(window.1.description)::date
              AND (c.valid_until IS NULL OR c.valid_until >= \(window.0.description)::date)
            """, logger: logger
        ).decode((String, Int64).self).all().map { InspectorPool.Conflict(objectID: $0.0, inspectorID: String($0.1)) }
    }

    public func find(_ id: DrawID) async throws -> Draw? {
        try await client.translatingErrors {
            try await client.withConnection { connection in try await Self.load(id, lock: false, on: connection, logger: logger) }
        }
    }

    /// The live draw of a task (not voided), if it was frozen.
    public func id(ofTask taskID: TaskID) async throws -> DrawID? {
        try await ids(ofTasks: [taskID])[taskID]
    }

    /// Task id → its draw's id, for the tasks of `taskIDs` that have one: one statement for a whole page.
    public func ids(ofTasks taskIDs: [TaskID]) async throws -> [TaskID: DrawID] {
        try await client.translatingErrors {
            let rows = try await client.query(
                "SELECT task_id, id FROM draws WHERE task_id = ANY(\(taskIDs)) AND voided_at IS NULL", logger: logger
            )
            .decode((TaskID, DrawID).self).all()
            return Dictionary(rows, uniquingKeysWith: { first, _ in first })
        }
    }

    /// The three frozen files: object pool, inspector pool, conflict pairs.
    public func files(_ id: DrawID) async throws -> (objects: [UInt8], inspectors: [UInt8], conflicts: [UInt8])? {
        try await client.translatingErrors {
            let rows = try await client.query(
                """
                SELECT object_pool, inspector_pool, conflict_pool FROM draws WHERE id = \(id)
                """, logger: logger
            ).decode((ByteBuffer, ByteBuffer, ByteBuffer).self).all()
            return rows.first.map { (Array(buffer: $0.0), Array(buffer: $0.1), Array(buffer: $0.2)) }
        }
    }

    /// Records a contributor's commitment while commitments are taken.
    public func commit(_ id: DrawID, department: DepartmentCode, commitment: String, at now: Date, audit: AuditRecord.Entry) async throws {
        try await client.audited(audit, logger: logger) { connection in
            guard let draw = try await Self.load(id, lock: true, on: connection, logger: logger) else { throw StoreError.notFound }
            try draw.state.checkCommit(by: department, commitment: commitment, at: now)
            _ = try await connection.query(
                """
                INSERT INTO draw_parties (draw_id, department, commitment, committed_by, committed_at)
                VALUES (\(id), \(department), \(commitment), \(audit.actor ?? "system"), \(now))
                """, logger: logger)
        }
    }

    /// Records a contributor's reveal once it matches the commitment.
    public func reveal(_ id: DrawID, department: DepartmentCode, secret: String, at now: Date, audit: AuditRecord.Entry) async throws {
        try await client.audited(audit, logger: logger) { connection in
            guard let draw = try await Self.load(id, lock: true, on: connection, logger: logger) else { throw StoreError.notFound }
            try draw.state.checkReveal(by: department, secret: secret, at: now)
            _ = try await connection.query(
                """
                UPDATE draw_parties SET secret = \(secret), revealed_by = \(audit.actor ?? "system"), revealed_at = \(now)
                WHERE draw_id = \(id) AND department = \(department)
                """, logger: logger)
        }
    }

    /// Enters the value of the beacon named at freeze time, once, between the commitments and the first reveal; who and
    /// when go into the record.
    public func enterBeacon(_ id: DrawID, value: String, at now: Date, audit: AuditRecord.Entry) async throws {
        try await client.audited(audit, logger: logger) { connection in
            guard let draw = try await Self.load(id, lock: true, on: connection, logger: logger) else { throw StoreError.notFound }
            try draw.state.checkBeacon(value: value, at: now)
            _ = try await connection.query(
                """
                UPDATE draws SET beacon_value = \(value), beacon_entered_by = \(audit.actor ?? "system"), beacon_entered_at = \(now)
                WHERE id = \(id)
                """, logger: logger)
        }
    }

    /// Voids a draw nobody revealed a secret to by the deadline, with the reason; the task may then freeze a new one.
    public func void(_ id: DrawID, reason: String, at now: Date, audit: AuditRecord.Entry) async throws {
        try await client.audited(audit, logger: logger) { connection in
            guard let draw = try await Self.load(id, lock: true, on: connection, logger: logger) else { throw StoreError.notFound }
            try draw.state.checkVoid(reason: reason, at: now)
            _ = try await connection.query(
                """
                UPDATE draws SET voided_by = \(audit.actor ?? "system"), voided_at = \(now), void_reason = \(reason) WHERE id = \(id)
                """, logger: logger)
        }
    }

    /// Executes the draw (docs/DRAW-SPEC.md §3–4) under the year's lock, so concurrent draws cannot break the annual cap:
    /// a candidate inspected twice this year by now is skipped and the next-ranked takes its place. Writes the
    /// record, the drawn objects and the teams; from then on the draw never changes.
    public func execute(
        _ id: DrawID, task: InspectionTask, jointList: JointList, deadlines: ExecutionDeadlines, at now: Date, audit: AuditRecord.Entry,
        algorithm: DrawRecord.Algorithm = .current
    ) async throws -> DrawRecord {
        try await client.transaction(logger: logger, deadline: Self.deadline) { connection in
            let clock = ContinuousClock()
            var marks: [(String, ContinuousClock.Instant)] = [("start", clock.now)]
            guard let draw = try await Self.load(id, lock: true, on: connection, logger: logger) else { throw StoreError.notFound }
            try draw.state.checkExecute(at: now)
            _ = try await connection.query("SELECT pg_advisory_xact_lock(\(Self.capLockKey), \(Int32(draw.year)))", logger: logger)
            _ = try await connection.query("SET LOCAL jit = off", logger: logger)
            let capped = Set(try await Self.capped(year: draw.year, on: connection, logger: logger))
            let files = try await connection.query(
                """
                SELECT object_pool, inspector_pool, conflict_pool FROM draws WHERE id = \(id)
                """, logger: logger
            ).decode((ByteBuffer, ByteBuffer, ByteBuffer).self).all()
            guard let (objectFile, inspectorFile, conflictFile) = files.first,
                let pool = ObjectPool(file: Array(buffer: objectFile)),
                let inspectors = InspectorPool(file: Array(buffer: inspectorFile), conflictFile: Array(buffer: conflictFile))
            else { throw StoreError.unexpected("draw \(id) has unreadable pool files") }
            marks.append(("load", clock.now))
            let frozen = JointDraw.Frozen(
                parameters: draw.parameters, poolDigest: draw.poolDigest, inspectorDigest: draw.inspectorDigest, strata: draw.strata,
                exclusions: draw.exclusions, commitments: draw.state.commitments, reveals: draw.state.reveals, absent: draw.state.absent,
                beaconValue: draw.state.beaconValue, beaconEntry: draw.state.beaconEntry)
            // What each selected object needs depends on its kind: the joint list's items that apply to it. The objects
            // are looked up one by one in the index (not by hashing the whole table), in the index's order (a third
            // faster than in rank order), and come back as one row per kind with their ids joined by LF.
            func needs(of selected: [DrawRecord.Selected]) async throws -> [String: [DrawRecord.Need]] {
                marks.append(("select", clock.now))
                defer { marks.append(("needs", clock.now)) }
                let kinds = try await connection.query(
                    """
                    SELECT kind, string_agg(code, E'\\n') FROM (
                        SELECT s.code, (SELECT o.kind FROM objects o WHERE o.credit_code = s.code) AS kind
                        FROM unnest(\(selected.map(\.objectID).sorted())::text[]) s (code)) k
                    GROUP BY kind
                    """, logger: logger
                ).decode((String?, String).self).all()
                var needs: [String: [DrawRecord.Need]] = [:]
                for (kind, codes) in kinds {
                    let needsOfKind = jointList.needs(
                        for: kind.flatMap(InspectedObject.Kind.init) ?? .enterprise, entries: task.entries,
                        participants: task.participants, overrides: draw.parameters.inspectorsPerDepartment)
                    for code in codes.utf8.split(separator: 0x0A) { needs[String(decoding: code, as: UTF8.self)] = needsOfKind }
                }
                return needs
            }
            // The drawn objects with their teams, streamed with COPY while the next teams are made. The teams' distinct
            // needs are kept once by the draw; each drawn object names its list by position.
            var needsSets: [[DrawRecord.Need]] = []
            var needsSet: [[DrawRecord.Need]: Int] = [:]
            func copy(_ batches: AsyncStream<[(DrawRecord.Selected, DrawRecord.Team)]>) async throws {
                let columns = [
                    "draw_id", "credit_code", "year", "stratum", "rank", "needs_set", "unstaffed", "team_inspectors", "team_departments",
                    "team_ranks", "team_leader",
                ]
                try await connection.copyFrom(table: "drawn_objects", columns: columns, logger: logger) { writer in
                    for await batch in batches {
                        try await CopyText.write(batch, to: writer) { object, buffer in
                            let (selected, team) = object
                            if needsSet[team.needs] == nil {
                                needsSet[team.needs] = needsSets.count
                                needsSets.append(team.needs)
                            }
                            CopyText.append(selected, team: team, needsSet: needsSet[team.needs]!, draw: id, year: draw.year, to: &buffer)
                        }
                    }
                }
            }
            let record = try await JointDraw.execute(
                algorithm, frozen, pool: pool, inspectors: inspectors,
                skip: { capped.contains($0.objectID) ? ExclusionReason.annualCap.label : nil }, needs: needs(of:), staffed: copy)
            marks.append(("staff_copy", clock.now))
            let (selected, teams, seed, reveals) = (record.selected, record.teams ?? [], record.seed, record.reveals)
            let skipped = record.skipped
            guard teams.count == selected.count, zip(selected, teams).allSatisfy({ $0.objectID == $1.objectID }) else {
                throw StoreError.unexpected("draw \(id): the teams do not follow the selection")
            }
            // The record without the teams: they are written with the drawn objects.
            let json = String(decoding: try record.publicPart.json(), as: UTF8.self)
            marks.append(("json", clock.now))
            _ = try await connection.query(
                """
                UPDATE draws SET record = \(json)::jsonb, team_needs = \(try JSONText.encode(needsSets))::jsonb,
                                 executed_by = \(audit.actor ?? "system"), executed_at = \(now)
                WHERE id = \(id)
                """, logger: logger)
            try await DrawCompletion.store(
                id, outstanding: ResultOwed.outstanding(by: StandingTeam.applying([], to: teams), published: []), on: connection,
                logger: logger)
            marks.append(("record", clock.now))
            // Each department sending inspectors confirms its assignments by the deadline.
            let sending = Array(Set(teams.lazy.flatMap { $0.members.lazy.map(\.department) })).sorted()
            let (counted, confirmationDeadline) = deadlines.confirmation
            _ = try await connection.query(
                """
                INSERT INTO draw_confirmations (draw_id, department, deadline, deadline_from, deadline_working_days)
                SELECT \(id), unnest(\(sending)::text[]), \(confirmationDeadline.description)::date, \(counted.from.description)::date,
                       \(counted.workingDays)
                """, logger: logger)
            // Every department that sent inspectors publishes its results by this day (一公开).
            _ = try await connection.query(
                """
                INSERT INTO result_deadlines (draw_id, due, deadline_from, deadline_working_days)
                VALUES (\(id), \(deadlines.results.date.description)::date, \(deadlines.results.count.from.description)::date,
                        \(deadlines.results.count.workingDays))
                """, logger: logger)
            try await NotificationRepository.insert(
                Notice.each(
                    sending, kind: .assignmentToConfirm, title: "请于\(confirmationDeadline.chineseDescription)前确认本部门的派单（抽取 \(id)）",
                    subject: .draw, id: id.rawValue),
                on: connection, logger: logger)
            var entry = audit
            entry.details =
                "种子 \(seed)；抽中 \(selected.count)，跳过 \(skipped.count)，未能组队 \(teams.filter { $0.unstaffed != nil }.count)；"
                + "公开 \(reveals.map(\.department.rawValue).joined(separator: ","))，缺席 \(draw.state.absent.map(\.rawValue).joined(separator: ","))"
            try await AuditTrail.append(entry, on: connection, logger: logger)
            marks.append(("deadlines", clock.now))
            logger.info("draw executed", metadata: Self.phases(marks))
            return record
        }
    }

    /// The teams of an executed draw as drawn (docs/DRAW-SPEC.md §4), in the selection's order, read from their rows.
    public func teams(_ id: DrawID) async throws -> [DrawRecord.Team] {
        try await client.translatingErrors {
            try await client.withConnection { try await Self.teams(id, on: $0, logger: logger) }
        }
    }

    static func teams(_ id: DrawID, on connection: PostgresConnection, logger: Logger) async throws -> [DrawRecord.Team] {
        let sets = try await connection.query(
            "SELECT coalesce(team_needs, '[]')::text FROM draws WHERE id = \(id)", logger: logger
        ).decode(String.self).all().first
        let needs = try JSONText.decode([[DrawRecord.Need]].self, sets ?? "[]")
        let rows = try await connection.query(
            """
            SELECT credit_code, needs_set, unstaffed, team_departments, team_inspectors, team_ranks, team_leader
            FROM drawn_objects WHERE draw_id = \(id) AND needs_set IS NOT NULL
            ORDER BY rank COLLATE "C", credit_code COLLATE "C"
            """, logger: logger)
        var teams: [DrawRecord.Team] = []
        for try await (code, set, unstaffed, departments, inspectors, rankBytes, leader) in rows.decode(
            (String, Int16, String?, [String], [Int64], ByteBuffer, Int16?).self)
        {
            let ranks = Array(buffer: rankBytes)
            guard needs.indices.contains(Int(set)), departments.count == inspectors.count, ranks.count == 32 * inspectors.count else {
                throw StoreError.unexpected("draw \(id): the team of \(code) is unreadable")
            }
            let members = inspectors.indices.map {
                DrawRecord.Member(
                    department: DepartmentCode(departments[$0]), inspectorID: String(inspectors[$0]),
                    rank: Hex.encode(ranks[(32 * $0)..<(32 * $0 + 32)]),
                    leader: leader.map(Int.init) == $0)
            }
            teams.append(.init(objectID: code, needs: needs[Int(set)], members: members, unstaffed: unstaffed))
        }
        return teams
    }

    /// Where the time went, phase by phase (seconds), for the log.
    static func phases(_ marks: [(String, ContinuousClock.Instant)]) -> Logger.Metadata {
        Dictionary(uniqueKeysWithValues: zip(marks.dropFirst(), marks).map { ($0.0, .string("\(($0.1 - $1.1) / .seconds(1))")) })
    }

    /// Freezing and executing a province-wide draw takes longer than an ordinary request.
    static let deadline: Duration = .seconds(600)

    /// The advisory lock class serializing draw executions of one year.
    static let capLockKey: Int32 = 7_302

    static func load(_ id: DrawID, lock: Bool, on connection: PostgresConnection, logger: Logger) async throws -> Draw? {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: columns) FROM draws d JOIN tasks t ON t.id = d.task_id WHERE d.id = \(id)
            \(unescaped: lock ? "FOR UPDATE OF d FOR SHARE OF t" : "")
            """, logger: logger
        ).decode(Row.self).all()
        guard
            let (
                drawID, taskID, year, parametersText, poolDigest, inspectorDigest, strata, exclusions, commitDeadline, revealDeadline,
                beaconValue, recordText, frozenAt, taskClosed, beaconBy, beaconAt, voidReason
            ) = rows.first
        else { return nil }
        let parameters = try JSONText.decode(DrawRecord.Parameters.self, parametersText)
        var parties: [DrawState.Party] = []
        let partyRows = try await connection.query(
            """
            SELECT department, commitment, secret FROM draw_parties WHERE draw_id = \(id)
            """, logger: logger)
        for try await (department, commitment, secret) in partyRows.decode((DepartmentCode, String, String?).self) {
            parties.append(DrawState.Party(department: department, commitment: commitment, secret: secret))
        }
        let record = try recordText.map { try JSONText.decode(DrawRecord.self, $0) }
        return Draw(
            id: drawID, taskID: taskID, year: year, parameters: parameters, poolDigest: poolDigest, inspectorDigest: inspectorDigest,
            strata: try JSONText.decode([DrawRecord.Stratum].self, strata),
            exclusions: try JSONText.decode([DrawRecord.Exclusion].self, exclusions),
            state: DrawState(
                contributors: parameters.contributors, parties: parties, commitDeadline: commitDeadline, revealDeadline: revealDeadline,
                executed: record != nil, taskClosed: taskClosed, beacon: parameters.beacon, beaconValue: beaconValue,
                beaconEntry: beaconBy.flatMap { by in beaconAt.map { DrawRecord.BeaconEntry(by: by, at: $0) } }, voidReason: voidReason),
            record: record, frozenAt: frozenAt
        )
    }
}
