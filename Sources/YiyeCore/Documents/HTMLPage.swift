/// Builds the printable Chinese HTML pages the API serves (sheets, handbooks): escaped text, the site's small
/// stylesheet for A4 printing (`/static/print.css`: no inline style, so the pages keep a strict Content-Security-Policy),
/// no scripts.
public struct HTMLPage: Sendable {
    private var body = ""
    public let title: String

    public init(title: String) {
        self.title = title
    }

    /// Escapes text for an element or a quoted attribute.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// An element with escaped text; line breaks in the text are kept.
    public mutating func element(_ tag: String, _ text: String, class className: String? = nil) {
        let attribute = className.map { " class=\"\($0)\"" } ?? ""
        body += "<\(tag)\(attribute)>\(Self.escape(text).replacingOccurrences(of: "\n", with: "<br>"))</\(tag)>\n"
    }

    /// A table with a header row; cells are escaped.
    public mutating func table(header: [String], rows: [[String]]) {
        body += "<table>\n<thead><tr>" + header.map { "<th>\(Self.escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in rows {
            body += "<tr>" + row.map { "<td>\(Self.escape($0).replacingOccurrences(of: "\n", with: "<br>"))</td>" }.joined() + "</tr>\n"
        }
        body += "</tbody>\n</table>\n"
    }

    /// A definition list of label and text pairs, empty texts left out.
    public mutating func definitions(_ pairs: [(String, String)]) {
        body += "<dl>\n"
        for (label, text) in pairs where !text.isEmpty {
            body += "<dt>\(Self.escape(label))</dt><dd>\(Self.escape(text).replacingOccurrences(of: "\n", with: "<br>"))</dd>\n"
        }
        body += "</dl>\n"
    }

    /// A search form sent by GET to `action`: each field a labelled text input holding its current value.
    public mutating func searchForm(action: String, fields: [(name: String, label: String, value: String)], button: String) {
        body += "<form method=\"get\" action=\"\(Self.escape(action))\">\n"
        for field in fields {
            body +=
                "<label>\(Self.escape(field.label)) <input type=\"text\" name=\"\(Self.escape(field.name))\" "
                + "value=\"\(Self.escape(field.value))\"></label>\n"
        }
        body += "<button type=\"submit\">\(Self.escape(button))</button>\n</form>\n"
    }

    /// A link with escaped text and address.
    public mutating func link(_ text: String, to address: String) {
        body += "<p><a href=\"\(Self.escape(address))\">\(Self.escape(text))</a></p>\n"
    }

    public mutating func open(_ tag: String, class className: String? = nil) {
        body += "<\(tag)\(className.map { " class=\"\($0)\"" } ?? "")>\n"
    }

    public mutating func close(_ tag: String) {
        body += "</\(tag)>\n"
    }

    public var html: String {
        """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Self.escape(title))</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="/static/print.css">
        </head>
        <body>
        <h1>\(Self.escape(title))</h1>
        \(body)</body>
        </html>

        """
    }
}
