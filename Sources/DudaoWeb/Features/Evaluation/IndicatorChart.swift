import DudaoCore
import Foundation
import Synchronization

/// An inline SVG bar chart of every school's value on one indicator against the threshold,
/// sorted low to high; schools below the threshold in red. No JavaScript needed.
enum IndicatorChart {
    /// A drawn chart is kept and reused while its inputs are the same (a county page draws a
    /// dozen of them on every visit; they change only when the data does).
    static func svg(title: String, values: [(name: String, value: Double)], threshold: Double?, unit: String) -> String {
        let key = Key(title: title, unit: unit, threshold: threshold, names: values.map(\.name), values: values.map(\.value))
        if let drawn = drawn.withLock({ $0[key] }) { return drawn }
        let svg = draw(title: title, values: values, threshold: threshold, unit: unit)
        drawn.withLock {
            if $0.count >= 1000 { $0.removeAll(keepingCapacity: true) }
            $0[key] = svg
        }
        return svg
    }

    struct Key: Hashable {
        var title: String
        var unit: String
        var threshold: Double?
        var names: [String]
        var values: [Double]
    }

    private static let drawn = Mutex<[Key: String]>([:])

    static func draw(title: String, values: [(name: String, value: Double)], threshold: Double?, unit: String) -> String {
        let sorted = values.sorted { $0.value < $1.value }
        let width = 640.0, height = 220.0, left = 46.0, right = 8.0, top = 24.0, bottom = 18.0
        let maxValue = max(sorted.last?.value ?? 0, (threshold ?? 0) * 1.15, 1e-9)
        let plotW = width - left - right, plotH = height - top - bottom
        let barW = plotW / Double(max(sorted.count, 1))
        func y(_ v: Double) -> Double { top + plotH * (1 - v / maxValue) }
        var s =
            #"<svg class="chart" viewBox="0 0 \#(Int(width)) \#(Int(height))" role="img" aria-label="\#(escape(title))" xmlns="http://www.w3.org/2000/svg">"#
        s += #"<text x="\#(left)" y="14" class="chart-title">\#(escape(title))</text>"#
        for tick in [0.0, 0.5, 1.0] {
            let v = maxValue * tick
            s += #"<line x1="\#(left)" x2="\#(width - right)" y1="\#(fmt(y(v)))" y2="\#(fmt(y(v)))" class="grid"/>"#
            s += #"<text x="\#(left - 4)" y="\#(fmt(y(v) + 4))" class="axis" text-anchor="end">\#(NumberText.fixed(v, v < 10 ? 1 : 0))</text>"#
        }
        for (i, item) in sorted.enumerated() {
            let below = threshold.map { !Tolerance.atLeast(item.value, $0) } ?? false
            let h = max(0.5, plotH * item.value / maxValue)
            s +=
                #"<rect x="\#(fmt(left + Double(i) * barW + barW * 0.1))" y="\#(fmt(top + plotH - h))" width="\#(fmt(max(barW * 0.8, 0.5)))" height="\#(fmt(h))" class="\#(below ? "bar below" : "bar")"><title>\#(escape(item.name)): \#(NumberText.fixed(item.value, 2)) \#(escape(unit))</title></rect>"#
        }
        if let threshold {
            s += #"<line x1="\#(left)" x2="\#(width - right)" y1="\#(fmt(y(threshold)))" y2="\#(fmt(y(threshold)))" class="threshold"/>"#
            s += #"<text x="\#(width - right)" y="\#(fmt(y(threshold) - 4))" class="axis" text-anchor="end">\#(NumberText.plain(threshold))</text>"#
        }
        return s + "</svg>"
    }

    static func fmt(_ x: Double) -> String { String(format: "%.1f", x) }

    static func escape(_ s: String) -> String { HTMLText.escaped(s) }
}
