import DudaoCore

/// The empty returns template (`dudao template returns`) and a returns export in the same shape.
public enum ReturnsTemplate {
    /// Sheet 1: headers only. Sheet 2: what every column means and accepts.
    public static func sheets() -> [Table] {
        let data = Table(name: "年度统计数据", header: ReturnColumns.templateHeader, rows: [])
        let help = Table(
            name: "填报说明",
            header: ["列 column", "中文名", "必填 required", "说明 notes"],
            rows: ReturnColumns.all.map { column in
                [column.id, column.zh, column.required ? "是 yes" : "否 no", notes(column.id)]
            })
        return [data, help]
    }

    static func notes(_ id: String) -> String {
        switch id {
        case "year": "学年起始年份，如 2024 / first year of the school year"
        case "school_code": "10位学校标识码 / 10-digit national school code"
        case "county_code": "6位行政区划代码 / 6-digit GB/T 2260 county code"
        case "school_type": SchoolType.accepted
        case "ownership": Ownership.accepted
        case "locality": Locality.accepted
        case "stage": Stage.accepted + ", all/全校 (shared resources of a multi-stage school)"
        case "boarding": "是/否 yes/no"
        case "township": "乡镇或街道名称，或9位乡镇代码（可选）/ township name or 9-digit code (optional)"
        default:
            ReturnField(rawValue: id).map { "\($0.en); \($0.unit.zh)/\($0.unit.en)" } ?? ""
        }
    }

    /// Rows in canonical column order for the given records (export, demo and generator files).
    /// `extras`: the columns after the canonical ones; by default every further fact some record
    /// carries (classes, graduates …). A file written in chunks passes its own fixed list, so
    /// that every row has the header's columns.
    public static func table(_ records: [ReturnRecord], name: String = "returns", extras given: [ReturnField]? = nil) -> Table {
        let extras =
            given
            ?? ReturnField.allCases.filter { f in
                !ReturnColumns.canonical.contains(f.rawValue) && records.contains { $0.data[f] != nil }
            }
        let header = ReturnColumns.canonical + extras.map(\.rawValue)
        let rows = records.map { record in
            header.map { id -> String in
                switch id {
                case "year": String(record.data.year)
                case "school_code": record.school.code
                case "school_name": record.school.name
                case "county_code": record.school.countyCode
                case "school_type": record.school.type.rawValue
                case "ownership": record.school.ownership.rawValue
                case "locality": record.school.locality.rawValue
                case "stage": record.data.stage?.rawValue ?? "all"
                default: ReturnField(rawValue: id).flatMap { record.data[$0] }.map(NumberText.plain) ?? ""
                }
            }
        }
        return Table(name: name, header: header, rows: rows, textColumns: [1, 3])
    }
}
