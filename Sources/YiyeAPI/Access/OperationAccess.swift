import YiyeCore

/// Who may call each operation of the spec: the single table the handlers consult and the spec's
/// `security` / `x-yiye-roles` markings are tested against.
enum OperationAccess: Sendable, Equatable {
    /// No sign-in needed (`security: []`).
    case open
    /// Any signed-in user (`x-yiye-roles: [any]`).
    case signedIn
    /// Signed in with a role holding the permission.
    case permission(Permission)

    static let table: [String: OperationAccess] = [
        "getLiveness": .open, "getReadiness": .open, "getMetrics": .open, "getOpenAPISpec": .open,
        "listEnums": .open, "createSession": .open, "getCalendarYear": .open, "getDeadline": .open,
        "replaceCalendarYear": .permission(.manageCalendar),
        "getCurrentSession": .signedIn, "deleteCurrentSession": .signedIn, "changeOwnPassword": .open,
        "listDepartments": .permission(.readDepartments), "getDepartment": .permission(.readDepartments),
        "createDepartment": .permission(.createDepartment), "updateDepartment": .permission(.updateDepartment),
        "listIndustries": .permission(.readIndustries), "getIndustry": .permission(.readIndustries),
        "createIndustry": .permission(.manageIndustries), "updateIndustry": .permission(.manageIndustries),
        "setIndustryDepartments": .permission(.manageIndustries),
        "listUsers": .permission(.readUsers), "getUser": .permission(.readUsers),
        "createUser": .permission(.manageUsers), "updateUser": .permission(.manageUsers),
        "listAuditRecords": .permission(.readAudit), "verifyAuditTrail": .permission(.readAudit),
        "listAuditCheckpoints": .permission(.readAudit),
        "listObjects": .permission(.readObjects), "getObject": .permission(.readObjects),
        "importObjects": .permission(.importObjects), "importLicences": .permission(.importObjects),
        "getItemList": .open, "listItemListVersions": .open,
        "getItemListDraft": .permission(.readListDrafts), "createItemListDraft": .permission(.manageItemLists),
        "updateItemListDraft": .permission(.manageItemLists), "discardItemListDraft": .permission(.manageItemLists),
        "publishItemListDraft": .permission(.manageItemLists),
        "getJointList": .open, "listJointListVersions": .open, "exportJointList": .open, "getJointListSheet": .open,
        "getIndustryHandbook": .open,
        "getJointListDraft": .permission(.readListDrafts), "createJointListDraft": .permission(.manageJointLists),
        "discardJointListDraft": .permission(.manageJointLists), "linkJointListItems": .permission(.manageJointLists),
        "resolveJointListEntry": .permission(.manageJointLists), "splitJointListEntry": .permission(.manageJointLists),
        "publishJointListDraft": .permission(.manageJointLists),
        "listInspectors": .permission(.readRoster), "getInspector": .permission(.readRoster),
        "createInspector": .permission(.manageRoster), "updateInspector": .permission(.manageRoster),
        "importInspectors": .permission(.manageRoster),
        "listConflicts": .permission(.readRoster), "declareConflict": .permission(.declareConflicts),
        "listTasks": .permission(.readTasks), "getTask": .permission(.readTasks), "createTask": .permission(.manageTasks),
        "freezeDraw": .permission(.manageTasks), "getDraw": .permission(.readTasks),
        "commitDraw": .permission(.contributeToDraws), "revealDraw": .permission(.contributeToDraws),
        "enterDrawBeacon": .permission(.manageTasks), "voidDraw": .permission(.manageTasks), "executeDraw": .permission(.manageTasks),
        "getDrawRecord": .open, "getDrawObjectPool": .open,
        "getDrawInspectorPool": .permission(.readTasks), "getDrawConflictPool": .permission(.readTasks),
        "listDrawChanges": .permission(.readTasks), "requestDrawChange": .permission(.contributeToDraws),
        "decideDrawChange": .permission(.approveChanges), "confirmDrawAssignments": .permission(.contributeToDraws),
        "getJointInspectionSheet": .permission(.readTasks), "getJointInspectionSheetHTML": .permission(.readTasks),
        "getInspectionNotice": .permission(.readTasks),
        "listPlans": .permission(.readTasks), "getPlan": .permission(.readTasks), "createPlan": .permission(.manageTasks),
        "filePlan": .permission(.manageTasks), "publishPlan": .permission(.manageTasks),
        "listPublishedPlans": .open, "getPublishedPlan": .open, "setTaskWorkPlan": .permission(.manageTasks),
        "closeTask": .permission(.manageTasks),
        "listCalls": .permission(.readTasks), "getCall": .permission(.readTasks), "raiseCall": .permission(.coordinate),
        "actOnCall": .permission(.coordinate), "answerCall": .permission(.coordinate), "closeCall": .permission(.coordinate),
        "listObjectResults": .permission(.readTasks), "saveObjectResult": .permission(.enterResults),
        "submitObjectResult": .permission(.enterResults), "reviewObjectResult": .permission(.reviewResults),
        "publishObjectResult": .permission(.publishResults),
        "correctObjectResult": .permission(.amendResults), "withholdObjectResult": .permission(.amendResults),
        "grantPublicityRelief": .permission(.amendResults),
        "listPublishedResults": .open, "getPublishedResult": .open,
        "getPublicResultsPage": .open, "fileObjection": .open, "followObjection": .open,
        "exportPublishedResults": .open, "getOpenDataDictionary": .open,
        "getResultFollowUp": .permission(.readTasks), "recordFollowUpStep": .permission(.followUpResults),
        "getFollowUpFigures": .permission(.readTasks), "getDashboard": .permission(.readTasks),
        "getDashboardReport": .permission(.readTasks),
        "getIndicatorSystem": .permission(.readTasks), "listIndicatorSystemVersions": .permission(.readTasks),
        "getIndicatorSystemDraft": .permission(.readTasks), "saveIndicatorSystemDraft": .permission(.manageIndustryGrading),
        "discardIndicatorSystemDraft": .permission(.manageIndustryGrading),
        "publishIndicatorSystemDraft": .permission(.manageIndustryGrading),
        "listObjectGrades": .permission(.readTasks), "getObjectGrade": .permission(.readTasks),
        "regradeIndustry": .permission(.manageIndustryGrading),
        "listWarningRules": .permission(.readTasks), "createWarningRule": .permission(.manageWarningRules),
        "updateWarningRule": .permission(.manageWarningRules), "listWarnings": .permission(.readTasks),
        "evaluateWarnings": .permission(.manageWarningRules), "getWarning": .permission(.readTasks),
        "judgeWarning": .permission(.judgeWarnings),
        "uploadEvidence": .permission(.enterResults), "downloadEvidence": .permission(.readTasks),
        "getSiteVisit": .permission(.readTasks), "recordSiteVisit": .permission(.enterResults), "getVisitRecord": .permission(.readTasks),
        "listObjections": .permission(.readTasks), "getObjection": .permission(.readTasks),
        "registerObjection": .permission(.handleObjections), "decideObjection": .permission(.handleObjections),
        "giveObjectionFeedback": .permission(.handleObjections),
        "getAgenda": .signedIn, "listNotifications": .signedIn, "markNotificationRead": .signedIn, "markAllNotificationsRead": .signedIn,
        "streamNotifications": .signedIn, "getCoordinationFigures": .signedIn,
        "listMeetings": .permission(.readTasks), "getMeeting": .permission(.readTasks),
        "convokeMeeting": .permission(.coordinate), "scheduleMeetings": .permission(.coordinate), "writeMinutes": .permission(.coordinate),
        "finalizeMinutes": .permission(.coordinate), "addActionItem": .permission(.coordinate),
        "completeActionItem": .permission(.coordinate),
        "listClues": .permission(.readTasks), "getClue": .permission(.readTasks), "reportClue": .permission(.reportClues),
        "routeClue": .permission(.routeClues), "decideClue": .permission(.coordinate),
        "organizeJointVerification": .permission(.coordinate),
        "listWebhooks": .permission(.manageWebhooks), "createWebhook": .permission(.manageWebhooks),
        "deleteWebhook": .permission(.manageWebhooks), "listWebhookDeliveries": .permission(.manageWebhooks),
    ]

    /// The roles the spec lists for this access (nil for open operations).
    var specRoles: [String]? {
        switch self {
        case .open: nil
        case .signedIn: ["any"]
        case .permission(let permission):
            permission.roles.count == Role.allCases.count ? ["any"] : permission.roles.sorted().map(\.rawValue)
        }
    }
}
