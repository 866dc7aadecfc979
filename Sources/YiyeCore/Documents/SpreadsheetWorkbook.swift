/// A one-sheet XLSX workbook (Office Open XML, as Excel and WPS write it): a title, a subtitle, a bold header row and
/// rows of text, whole numbers, shares shown as percentages and decimals, each column as wide as its header asks.
public struct SpreadsheetWorkbook: Sendable {
    public enum Cell: Sendable, Equatable {
        case text(String)
        case count(Int)
        /// A share 0–1, shown as 25.0%.
        case share(Double)
        case decimal(Double)
        case empty
    }

    public var sheetName: String
    public var title: String
    public var subtitle: String
    public var header: [String]
    public var rows: [[Cell]]

    public init(sheetName: String, title: String, subtitle: String, header: [String], rows: [[Cell]]) {
        self.sheetName = sheetName
        self.title = title
        self.subtitle = subtitle
        self.header = header
        self.rows = rows
    }

    /// The workbook's file.
    public var bytes: [UInt8] {
        var zip = ZIPArchive()
        zip.add("[Content_Types].xml", Array(Self.contentTypes.utf8))
        zip.add("_rels/.rels", Array(Self.rootRelations.utf8))
        zip.add("xl/workbook.xml", Array(workbook.utf8))
        zip.add("xl/_rels/workbook.xml.rels", Array(Self.workbookRelations.utf8))
        zip.add("xl/styles.xml", Array(Self.styles.utf8))
        zip.add("xl/worksheets/sheet1.xml", Array(sheet.utf8))
        return zip.bytes
    }

    static let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    static let contentTypes =
        declaration + """
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            </Types>
            """

    static let rootRelations =
        declaration + """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="\(relationships)/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """

    static let workbookRelations =
        declaration + """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="\(relationships)/worksheet" Target="worksheets/sheet1.xml"/>\
            <Relationship Id="rId2" Type="\(relationships)/styles" Target="styles.xml"/></Relationships>
            """

    /// Styles by index: 0 plain, 1 bold (title and header), 2 whole number, 3 percentage with one decimal, 4 decimal.
    static let styles =
        declaration + """
            <styleSheet xmlns="\(main)"><numFmts count="2"><numFmt numFmtId="164" formatCode="0.0%"/>\
            <numFmt numFmtId="165" formatCode="0.0"/></numFmts>\
            <fonts count="2"><font><sz val="11"/><name val="等线"/></font><font><b/><sz val="11"/><name val="等线"/></font></fonts>\
            <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
            <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
            <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
            <cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
            <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
            <xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
            <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
            <xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
            <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
            """

    var workbook: String {
        Self.declaration + """
            <workbook xmlns="\(Self.main)" xmlns:r="\(Self.relationships)"><sheets>\
            <sheet name="\(Self.escape(sheetName))" sheetId="1" r:id="rId1"/></sheets></workbook>
            """
    }

    var sheet: String {
        var xml = Self.declaration + "<worksheet xmlns=\"\(Self.main)\"><cols>"
        for (index, name) in header.enumerated() {
            let width = index == 0 ? 30 : max(10, name.count * 2 + 2)
            xml += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(width)\" customWidth=\"1\"/>"
        }
        xml += "</cols><sheetData>"
        let lines: [[Cell]] = [[.text(title)], [.text(subtitle)], header.map(Cell.text)] + rows
        for (rowIndex, cells) in lines.enumerated() {
            xml += "<row r=\"\(rowIndex + 1)\">"
            for (column, cell) in cells.enumerated() {
                let reference = Self.column(column) + String(rowIndex + 1)
                let bold = rowIndex == 0 || rowIndex == 2
                switch cell {
                case .text(let text):
                    xml += "<c r=\"\(reference)\" t=\"inlineStr\"\(bold ? " s=\"1\"" : "")><is><t>\(Self.escape(text))</t></is></c>"
                case .count(let value): xml += "<c r=\"\(reference)\" s=\"2\"><v>\(value)</v></c>"
                case .share(let value): xml += "<c r=\"\(reference)\" s=\"3\"><v>\(value)</v></c>"
                case .decimal(let value): xml += "<c r=\"\(reference)\" s=\"4\"><v>\(value)</v></c>"
                case .empty: break
                }
            }
            xml += "</row>"
        }
        return xml + "</sheetData></worksheet>"
    }

    /// A, B, …, Z, AA, AB, …
    static func column(_ index: Int) -> String {
        index < 26 ? String(UnicodeScalar(UInt8(65 + index))) : column(index / 26 - 1) + column(index % 26)
    }

    static func escape(_ text: String) -> String { HTMLPage.escape(text) }
}
