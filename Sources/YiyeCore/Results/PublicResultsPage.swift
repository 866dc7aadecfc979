/// 抽查检查结果公示查询: the public page where anyone looks up a business's published results by its credit code or
/// the start of its name, with the columns of the national enterprise credit publicity system and the items checked.
public struct PublicResultsPage: Sendable {
    public var creditCode: String
    public var name: String
    public var results: [PublishedVersion]
    /// The address of the next page, when there is one.
    public var next: String?

    public init(creditCode: String, name: String, results: [PublishedVersion], next: String?) {
        self.creditCode = creditCode
        self.name = name
        self.results = results
        self.next = next
    }

    public var html: String {
        var page = HTMLPage(title: "双随机抽查检查结果公示")
        page.searchForm(
            action: "/public/results",
            fields: [("creditCode", "统一社会信用代码", creditCode), ("name", "企业名称", name)], button: "查询")
        if results.isEmpty {
            page.element("p", creditCode.isEmpty && name.isEmpty ? "暂无公示的检查结果。" : "未查到符合条件的公示检查结果。", class: "meta")
        } else {
            page.table(
                header: ["统一社会信用代码", "名称", "检查实施机关", "类型", "日期", "结果", "备注", "检查事项", "版本"],
                rows: results.map { published in
                    let result = published.content
                    return [
                        result.creditCode, result.objectName, result.authority, result.inspectionType,
                        result.inspectedOn.chineseDescription,
                        ([
                            published.underObjection ? "异议处理中" : nil, result.withheld.map { "\($0.scopeLabel)（\($0.groundLabel)）" },
                            result.relief.map { "已于\($0.grantedOn.chineseDescription)\($0.kindLabel)" },
                        ]
                        .compactMap { $0 } + result.categories.map(\.label)).joined(separator: "；"),
                        result.remarks,
                        result.items.map { "\($0.content)：\($0.outcomeLabel)" }.joined(separator: "\n"),
                        published.change.map { "第 \(published.version) 版（\($0.label)：\(published.reason)）" } ?? "第 1 版",
                    ]
                })
        }
        if let next { page.link("下一页", to: next) }
        page.element("p", "对检查结果有异议的，被检查对象可自公示之日起 60 日内向检查实施机关提出。", class: "meta")
        return page.html
    }
}
