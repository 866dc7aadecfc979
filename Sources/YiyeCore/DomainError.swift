/// A domain rule refused an operation, with the rule's stable code. The API answers a state conflict with 409 (the
/// thing is not, or no longer, where the request needs it: already done, closed, not yet at that stage; the same
/// request may succeed at another time or never again) and every other rule with 422 (what the request says breaks
/// a rule: a bad value, a missing reason), except that a rule on who may act refuses the actor with 403.
public struct DomainError: Error, Sendable, Equatable {
    /// The rule that was broken; its raw value is the stable error code clients see.
    public enum Rule: String, Sendable {
        case invalidCode = "invalid_code"
        case invalidName = "invalid_name"
        case invalidRegionCode = "invalid_region_code"
        case invalidGBTIndustryCode = "invalid_gbt_industry_code"
        case unknownDepartment = "unknown_department"
        case departmentNotRegulator = "department_not_regulator"
        case duplicateParticipant = "duplicate_participant"
        case originatorAlsoParticipant = "originator_also_participant"
        case invalidUsername = "invalid_username"
        case weakPassword = "weak_password"
        case roleNotAvailable = "role_not_available"
        case noRoles = "no_roles"
        case cannotDisableSelf = "cannot_disable_self"
        case invalidCalendar = "invalid_calendar"
        case invalidCreditCode = "invalid_credit_code"
        case noSupervisingDepartment = "no_supervising_department"
        case invalidRiskRating = "invalid_risk_rating"
        case invalidValue = "invalid_value"
        case duplicateRow = "duplicate_row"
        case missingColumn = "missing_column"
        case invalidText = "invalid_text"
        case duplicateItemCode = "duplicate_item_code"
        case emptyList = "empty_list"
        case unknownIndustry = "unknown_industry"
        case unknownItem = "unknown_item"
        case unresolvedOverlap = "unresolved_overlap"
        case reasonRequired = "reason_required"
        case notOriginator = "not_originator"
        case invalidPhone = "invalid_phone"
        case invalidCertificate = "invalid_certificate"
        case invalidPeriod = "invalid_period"
        case invalidSampling = "invalid_sampling"
        case invalidSecret = "invalid_secret"
        case samplingBelowMinimum = "sampling_below_minimum"
        case drawPhase = "draw_phase"
        case notContributor = "not_contributor"
        case noJointList = "no_joint_list"
        case planStatus = "plan_status"
        case callClosed = "call_closed"
        case notAddressed = "not_addressed"
        case minutesFinal = "minutes_final"
        case actionItemDone = "action_item_done"
        case notOwner = "not_owner"
        case clueState = "clue_state"
        case notReceiver = "not_receiver"
        case userNotInspector = "user_not_inspector"
        case unknownObject = "unknown_object"
        case taskClosed = "task_closed"
        case alreadyResponded = "already_responded"
        case alreadyConfirmed = "already_confirmed"
        case noAssignment = "no_assignment"
        /// A webhook pointing at this machine, a link-local or a private network (SSRF) while the server forbids it.
        case webhookTargetNotPublic = "webhook_target_not_public"
        /// A result is not where the request needs it: edited after submission, reviewed before, published unapproved.
        case resultStatus = "result_status"
        /// The department or inspector did not inspect that object (not on its team as it stands).
        case notOnTeam = "not_on_team"
        /// A reviewer signs off only what someone else entered.
        case ownEntry = "own_entry"
        /// Another department's result: each department enters, reviews and publishes only its own.
        case otherDepartment = "other_department"
        /// A result submitted without every item of the department's part of the sheet.
        case resultIncomplete = "result_incomplete"
        /// A result category without what the standard requires to recognise it.
        case categoryUnproven = "category_unproven"
        /// An objection after the 60 days from publication.
        case objectionLate = "objection_late"
        /// An objection is not where the request needs it: already decided, feedback given, one still open.
        case objectionState = "objection_state"
        /// A re-examination by one who inspected the object or entered the result.
        case onTeam = "on_team"
        /// A follow-up is not where the step needs it: no problem found, already closed, not proposed.
        case followUpState = "follow_up_state"
        /// The visit to an object is recorded once.
        case visitRecorded = "visit_recorded"
        /// Publication stopped before the result was public for the statutory period.
        case publicityPeriod = "publicity_period"
        /// A risk warning is judged once.
        case warningState = "warning_state"

        /// The rule says who may act, and the actor's department is not it (403): not the originator or raiser, not
        /// addressed, not the owner, receiver or a contributor.
        public var refusesActor: Bool {
            switch self {
            case .notOriginator, .notAddressed, .notOwner, .notReceiver, .notContributor, .notOnTeam, .ownEntry, .otherDepartment, .onTeam:
                true
            default: false
            }
        }

        /// The request conflicts with where the thing stands now (409), rather than breaking a rule by what it says.
        public var isStateConflict: Bool {
            switch self {
            case .drawPhase, .taskClosed, .planStatus, .callClosed, .alreadyResponded, .alreadyConfirmed, .minutesFinal,
                .actionItemDone, .clueState, .resultStatus, .objectionState, .followUpState, .visitRecorded,
                .publicityPeriod, .warningState:
                true
            default:
                false
            }
        }
    }

    public var rule: Rule
    /// What the user should know, in Chinese.
    public var message: String
    /// The request field at fault, when there is one.
    public var field: String?

    public init(_ rule: Rule, _ message: String, field: String? = nil) {
        self.rule = rule
        self.message = message
        self.field = field
    }
}
