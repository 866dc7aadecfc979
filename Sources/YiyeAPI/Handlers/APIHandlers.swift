import Logging
import OpenAPIRuntime
import PostgresNIO
import Prometheus
import YiyeContract
import YiyeCore
import YiyeStore

/// The implementation of the generated `APIProtocol`: thin handlers that check access, call the domain and the
/// store, and encode. The operations live in one extension per area.
struct APIHandlers: APIProtocol {
    let client: PostgresClient
    let departments: DepartmentRepository
    let industries: IndustryRepository
    let users: UserRepository
    let sessions: SessionRepository
    let audit: AuditTrail
    let calendar: CalendarRepository
    let objects: ObjectRepository
    let itemLists: ListVersionRepository<ItemList>
    let jointLists: ListVersionRepository<JointList>
    let indicatorSystems: ListVersionRepository<IndicatorSystem>
    let grading: GradingRepository
    let warnings: WarningRepository
    let inspectors: InspectorRepository
    let tasks: TaskRepository
    let draws: DrawRepository
    let plans: PlanRepository
    let calls: WhistleRepository
    let notifications: NotificationRepository
    let agenda: AgendaRepository
    let meetings: MeetingRepository
    let clues: ClueRepository
    let webhooks: WebhookRepository
    let escalations: EscalationRepository
    let results: ResultRepository
    let objections: ObjectionRepository
    let followUps: FollowUpRepository
    let dashboard: DashboardRepository
    let visits: SiteVisitRepository
    let evidence: EvidenceRepository
    let evidenceStore: EvidenceStore
    /// The largest evidence file accepted, in bytes.
    let evidenceLimitBytes: Int
    let signIn: SignInPolicy
    /// Working days to publish a result after the inspection.
    let resultPublicationWorkingDays: Int
    /// Verifies checkpoints; the private half stays with the checkpoint service.
    let auditPublicKey: SM2.PublicKey
    let metrics: PrometheusCollectorRegistry
    /// Where webhooks may point.
    let webhookTargets: WebhookTargets
    /// The one source of "now" for every rule a handler checks.
    private(set) var clock: any WallClock

    init(
        client: PostgresClient, personalData: PersonalDataCipher, signIn: SignInPolicy, resultPublicationWorkingDays: Int,
        evidenceStore: EvidenceStore,
        evidenceLimitBytes: Int, auditPublicKey: SM2.PublicKey,
        metrics: PrometheusCollectorRegistry, webhookTargets: WebhookTargets, clock: any WallClock, logger: Logger
    ) {
        self.client = client
        self.departments = DepartmentRepository(client: client, logger: logger)
        self.industries = IndustryRepository(client: client, logger: logger)
        self.users = UserRepository(client: client, logger: logger)
        self.sessions = SessionRepository(client: client, logger: logger)
        self.audit = AuditTrail(client: client, logger: logger)
        self.calendar = CalendarRepository(client: client, logger: logger)
        self.objects = ObjectRepository(client: client, logger: logger)
        self.itemLists = ListVersionRepository(client: client, logger: logger)
        self.jointLists = ListVersionRepository(client: client, logger: logger)
        self.indicatorSystems = ListVersionRepository(client: client, logger: logger)
        self.grading = GradingRepository(client: client, logger: logger)
        self.warnings = WarningRepository(client: client, logger: logger)
        self.inspectors = InspectorRepository(client: client, cipher: personalData, logger: logger)
        self.tasks = TaskRepository(client: client, logger: logger)
        self.draws = DrawRepository(client: client, logger: logger)
        self.plans = PlanRepository(client: client, logger: logger)
        self.calls = WhistleRepository(client: client, logger: logger)
        self.notifications = NotificationRepository(client: client, logger: logger)
        self.agenda = AgendaRepository(client: client, logger: logger)
        self.meetings = MeetingRepository(client: client, logger: logger)
        self.clues = ClueRepository(client: client, logger: logger)
        self.webhooks = WebhookRepository(client: client, logger: logger)
        self.escalations = EscalationRepository(client: client, logger: logger)
        self.results = ResultRepository(client: client, logger: logger)
        self.objections = ObjectionRepository(client: client, cipher: personalData, logger: logger)
        self.followUps = FollowUpRepository(client: client, logger: logger)
        self.dashboard = DashboardRepository(client: client, logger: logger)
        self.visits = SiteVisitRepository(client: client, cipher: personalData, logger: logger)
        self.evidence = EvidenceRepository(client: client, logger: logger)
        self.evidenceStore = evidenceStore
        self.evidenceLimitBytes = evidenceLimitBytes
        self.signIn = signIn
        self.resultPublicationWorkingDays = resultPublicationWorkingDays
        self.auditPublicKey = auditPublicKey
        self.metrics = metrics
        self.webhookTargets = webhookTargets
        self.clock = clock
    }
}

extension APIHandlers {
    /// These handlers with `clock` as their one source of now: the demo replays its year through them.
    func clocked(_ clock: any WallClock) -> APIHandlers {
        var copy = self
        copy.clock = clock
        return copy
    }

    /// The signed-in caller, whom `AccessMiddleware` has already let in for this operation.
    func admittedActor() throws -> Actor {
        guard let actor = RequestScope.current.credentials.actor else { throw APIError.internal }
        return actor
    }

    /// Records an object the caller may not see and answers as if it did not exist.
    func hidden(_ actor: Actor, _ objectType: String, _ objectID: String, what: String) async throws -> APIError {
        try await audit.record(entry(actor, "access.denied", objectType, objectID, outcome: .denied, details: "不在本部门范围内"))
        var error = APIError.notFound(what)
        error.audited = true
        return error
    }

    /// Records a refusal to act on an object the caller sees, and answers 403.
    func forbidden(_ actor: Actor, _ objectType: String, _ objectID: String, message: String) async throws -> APIError {
        try await audit.record(entry(actor, "access.denied", objectType, objectID, outcome: .denied, details: message))
        return APIError(.forbidden, "forbidden", message, audited: true)
    }

    /// An audit entry for this request.
    func entry(
        _ actor: Actor?, _ action: String, _ objectType: String? = nil, _ objectID: String? = nil,
        outcome: AuditRecord.Outcome = .success, details: String = ""
    ) -> AuditRecord.Entry {
        let scope = RequestScope.current
        return AuditRecord.Entry(
            actor: actor?.username, department: actor?.department, role: actor?.roleList, action: action,
            objectType: objectType, objectID: objectID, outcome: outcome,
            clientAddress: scope.clientAddress, requestID: scope.requestID, details: details
        )
    }
}
