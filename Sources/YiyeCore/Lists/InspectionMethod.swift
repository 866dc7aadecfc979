/// 检查方式: how an item is checked.
public enum InspectionMethod: String, Sendable, Codable, CaseIterable {
    /// 实地核查
    case onSite = "on_site"
    /// 书面检查
    case documentReview = "document_review"
    /// 网络监测
    case onlineMonitoring = "online_monitoring"
    /// 抽样检测
    case samplingTest = "sampling_test"
    /// 委托专业机构
    case commissionedAgency = "commissioned_agency"

    public var label: String {
        switch self {
        case .onSite: "实地核查"
        case .documentReview: "书面检查"
        case .onlineMonitoring: "网络监测"
        case .samplingTest: "抽样检测"
        case .commissionedAgency: "委托专业机构"
        }
    }
}
