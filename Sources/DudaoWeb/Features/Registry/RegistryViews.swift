import DudaoCore

/// A school's page: registry facts and every return row.
enum SchoolView {
    static func context(_ s: School, rows: [(data: StageReturn, version: Int)], lang: Language) -> [String: Any] {
        let t = Strings.shared
        let fields = ReturnField.allCases.filter { f in rows.contains { $0.data[f] != nil } }
        return [
            "school": [
                "code": s.code, "name": s.name, "type": s.type.label(lang), "ownership": s.ownership.label(lang),
                "locality": s.locality.label(lang), "boarding": t(s.boarding ? "yes" : "no", lang),
            ],
            "fieldHeads": fields.map { ["name": lang == .zh ? $0.zh : $0.en] },
            "returns": rows.map { r in
                [
                    "year": r.data.year, "stage": r.data.stage?.label(lang) ?? t("wholeSchool", lang), "version": r.version,
                    "values": fields.map { ["value": r.data[$0].map(NumberText.plain) ?? ""] },
                ] as [String: Any]
            },
        ]
    }
}
