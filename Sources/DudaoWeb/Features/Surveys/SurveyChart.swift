import DudaoCore
import Foundation

/// One item's distribution as horizontal bars (SVG), drawn from counts only: the page shows it
/// inline and offers it as a file.
enum SurveyChart {
    static func svg(_ item: SurveyTally.ItemTally, _ lang: Language) -> String {
        let rowHeight = 26, labelWidth = 120, barWidth = 260, top = 8
        let height = top * 2 + rowHeight * max(item.choices.count, 1)
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" class="survey-chart" viewBox="0 0 \(labelWidth + barWidth + 90) \(height)" \
            width="\(labelWidth + barWidth + 90)" height="\(height)" role="img" aria-label="\(IndicatorChart.escape(lang == .zh ? item.textZh : item.textEn))">
            """
        for (i, c) in item.choices.enumerated() {
            let y = top + i * rowHeight
            let width = Int((c.share * Double(barWidth)).rounded())
            let label = IndicatorChart.escape(lang == .zh ? c.zh : c.en)
            out += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 17)\" text-anchor=\"end\" font-size=\"13\">\(label)</text>"
            out += "<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(width)\" height=\"18\" fill=\"#3b6ea5\"/>"
            out +=
                "<text x=\"\(labelWidth + width + 6)\" y=\"\(y + 17)\" font-size=\"12\">\(c.count) (\(NumberText.percent(c.share, decimals: 1)))</text>"
        }
        return out + "</svg>"
    }
}
