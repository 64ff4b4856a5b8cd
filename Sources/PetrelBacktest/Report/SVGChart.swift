/// Draws simple line and area charts as inline SVG (no scripts, no third-party code).
struct SVGChart {
    struct Marker {
        var x: Double
        var y: Double
        /// `entry` (triangle up, green), `exit` (triangle down, red), `short` (triangle down, orange).
        var kind: String
        var title: String
    }

    var width = 960.0
    var height = 260.0
    var padding = (left: 64.0, right: 16.0, top: 14.0, bottom: 26.0)

    /// A line chart of `ys` over `xs` (timestamps), with optional markers and a filled area.
    func render(
        xs: [Double], ys: [Double], color: String, fill: Bool = false, markers: [Marker] = [],
        yFormat: (Double) -> String,
        xLabels: [(Double, String)]
    ) -> String {
        guard let minX = xs.min(), let maxX = xs.max(), let rawMinY = ys.min(), let rawMaxY = ys.max() else {
            return "<p class=\"empty\">No data.</p>"
        }
        let markerYs = markers.map(\.y)
        let minY = Swift.min(rawMinY, markerYs.min() ?? rawMinY)
        let maxY = Swift.max(rawMaxY, markerYs.max() ?? rawMaxY)
        let spanX = maxX > minX ? maxX - minX : 1
        let spanY = maxY > minY ? maxY - minY : Swift.max(abs(maxY), 1)
        let plotW = width - padding.left - padding.right
        let plotH = height - padding.top - padding.bottom
        func px(_ x: Double) -> Double { padding.left + (x - minX) / spanX * plotW }
        func py(_ y: Double) -> Double { padding.top + (1 - (y - minY) / spanY) * plotH }
        var svg = "<svg viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">"
        for step in 0...4 {
            let value = minY + spanY * Double(step) / 4
            let y = py(value)
            svg +=
                "<line x1=\"\(n(padding.left))\" y1=\"\(n(y))\" x2=\"\(n(width - padding.right))\" y2=\"\(n(y))\" class=\"grid\"/>"
            svg +=
                "<text x=\"\(n(padding.left - 6))\" y=\"\(n(y + 4))\" class=\"axis\" text-anchor=\"end\">\(escapeHTML(yFormat(value)))</text>"
        }
        for (x, label) in xLabels {
            svg +=
                "<text x=\"\(n(px(x)))\" y=\"\(n(height - 8))\" class=\"axis\" text-anchor=\"middle\">\(escapeHTML(label))</text>"
        }
        var path = ""
        path.reserveCapacity(xs.count * 16)
        for index in xs.indices {
            path += (index == 0 ? "M" : "L") + n(px(xs[index])) + " " + n(py(ys[index]))
        }
        if fill {
            let base = py(Swift.max(minY, Swift.min(maxY, 0)))
            svg +=
                "<path d=\"\(path)L\(n(px(xs[xs.count - 1]))) \(n(base))L\(n(px(xs[0]))) \(n(base))Z\" fill=\"\(color)\" fill-opacity=\"0.18\" stroke=\"none\"/>"
        }
        svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.4\"/>"
        for marker in markers {
            let x = px(marker.x)
            let y = py(marker.y)
            let up = marker.kind == "entry"
            let color = marker.kind == "entry" ? "#16a34a" : (marker.kind == "short" ? "#ea580c" : "#dc2626")
            let points =
                up
                ? "\(n(x)),\(n(y - 2)) \(n(x - 5)),\(n(y + 7)) \(n(x + 5)),\(n(y + 7))"
                : "\(n(x)),\(n(y + 2)) \(n(x - 5)),\(n(y - 7)) \(n(x + 5)),\(n(y - 7))"
            svg +=
                "<polygon points=\"\(points)\" fill=\"\(color)\"><title>\(escapeHTML(marker.title))</title></polygon>"
        }
        return svg + "</svg>"
    }

    /// Compact number text for SVG coordinates.
    func n(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

/// Escapes text for HTML element content and attribute values.
func escapeHTML(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(character)
        }
    }
    return out
}

/// Keeps at most `limit` evenly spaced indices of a series (always the first and last).
func sampledIndices(count: Int, limit: Int) -> [Int] {
    guard count > limit, limit >= 2 else { return Array(0..<count) }
    var indices: [Int] = []
    indices.reserveCapacity(limit)
    for k in 0..<limit {
        indices.append(Int((Double(k) * Double(count - 1) / Double(limit - 1)).rounded()))
    }
    return indices
}
