/// A horizontal bar chart drawn as SVG on the server (柱状图): it needs no script and no library, looks the same
/// offline, prints sharp on paper, and its numbers are in the markup for a test (or a screen reader) to read.
public struct BarChart: Sendable, Equatable {
    public struct Bar: Sendable, Equatable {
        public var label: String
        public var value: Int

        public init(label: String, value: Int) {
            self.label = label
            self.value = value
        }
    }

    public var title: String
    public var bars: [Bar]

    public init(title: String, bars: [Bar]) {
        self.title = title
        self.bars = bars
    }

    static let rowHeight = 26
    static let labelWidth = 150
    static let barWidth = 360

    /// The chart as an `<svg>` element: one row per bar, its label, its bar to scale and its value.
    public var svg: String {
        let height = max(1, bars.count) * Self.rowHeight + 8
        let width = Self.labelWidth + Self.barWidth + 60
        let largest = max(1, bars.map(\.value).max() ?? 0)
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 \(width) \(height)" \
            width="\(width)" height="\(height)" aria-label="\(HTMLPage.escape(title))">
            """
        if bars.isEmpty {
            svg += #"<text x="0" y="18" class="empty">暂无数据</text>"#
        }
        for (index, bar) in bars.enumerated() {
            let y = index * Self.rowHeight + 4
            let length = bar.value == 0 ? 0 : max(2, bar.value * Self.barWidth / largest)
            svg += """
                <g data-label="\(HTMLPage.escape(bar.label))" data-value="\(bar.value)">\
                <text x="\(Self.labelWidth - 6)" y="\(y + 16)" text-anchor="end">\(HTMLPage.escape(bar.label))</text>\
                <rect x="\(Self.labelWidth)" y="\(y + 3)" width="\(length)" height="\(Self.rowHeight - 8)"></rect>\
                <text x="\(Self.labelWidth + length + 6)" y="\(y + 16)">\(bar.value)</text></g>
                """
        }
        return svg + "</svg>"
    }
}
