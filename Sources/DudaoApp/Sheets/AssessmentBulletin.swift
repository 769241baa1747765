import DudaoCore
import DudaoFiles
import Foundation

/// The results bulletin of an assessment (考核结果通报): a table of the ranking and the
/// regions per grade, as an XLSX sheet and a Word document in the official layout.
public enum AssessmentBulletin {
    public static func table(_ a: Assessment, _ ranking: AssessmentRanking) -> Table {
        Table(
            name: "考核结果", header: ["名次", "地区代码", "地区", "得分", "等次", "已评项"],
            rows: ranking.rows.map { r in
                [
                    r.rank.map(String.init) ?? "—", r.region.code, r.region.name,
                    r.result.complete || r.result.vetoed ? NumberText.fixed(r.result.total, 1) : "—",
                    r.result.grade?.zh ?? "未评完", "\(r.result.answered)/\(r.result.items.count)",
                ]
            })
    }

    /// "优秀：长葛市；良好：禹州市；…" over the graded regions.
    public static func summary(_ ranking: AssessmentRanking) -> String {
        var byGrade: [(String, [String])] = []
        for row in ranking.rows {
            guard let grade = row.result.grade?.zh else { continue }
            if let i = byGrade.firstIndex(where: { $0.0 == grade }) {
                byGrade[i].1.append(row.region.name)
            } else {
                byGrade.append((grade, [row.region.name]))
            }
        }
        let open = ranking.rows.filter { $0.result.grade == nil }.map(\.region.name)
        var parts = byGrade.map { "\($0.0)：\($0.1.joined(separator: "、"))" }
        if !open.isEmpty { parts.append("尚未评完：\(open.joined(separator: "、"))") }
        return parts.joined(separator: "；") + "。"
    }

    public static func docx(_ a: Assessment, _ ranking: AssessmentRanking, office: String, today: String) throws -> Data {
        try DOCXWriter.write(
            [
                .title("关于\(a.title)结果的通报"),
                .documentNumber("\(office.prefix(1))督〔\(a.year)〕  号"),
                .paragraph("根据年度目标考核安排，\(office)人民政府教育督导室于\(DateText.chinese(a.from))至\(DateText.chinese(a.to))对所辖地区教育督导工作进行了考核。现将结果通报如下："),
                .paragraph(summary(ranking)),
                .table(table(a, ranking)),
                .paragraph("请各地对照考核中发现的问题认真整改，整改情况于一个月内报送。"),
                .signature("\(office)人民政府教育督导室\n\(DateText.chinese(today))"),
            ], style: .official)
    }
}
