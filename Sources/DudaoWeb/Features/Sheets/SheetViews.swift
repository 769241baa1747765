import DudaoCore

/// A county's score sheet: the verdict so far and every item, grouped by area.
struct SheetPage: Sendable {
    struct File: Sendable {
        var id: String
        var name: String
    }

    struct Item: Sendable {
        var id: String
        var text: String
        var methods: String
        var max: String?
        var isVeto: Bool
        /// Answered by Dudao (computed from data, or deducted): no form. A computed item whose
        /// data is missing gets the form, for the scorer's judgement.
        var isComputed: Bool
        var isPoints: Bool
        var isPassFail: Bool
        /// `met`, `unmet` or `open`.
        var state: String
        var answer: String
        var computed: [String]
        /// nil when empty (an empty string is "present" to a template section).
        var comment: String?
        var evidence: String?
        var files: [File]
        var version: Int
        var score: String
        var metYes: Bool
        var metNo: Bool
        var vetoYes: Bool
        var vetoNo: Bool
    }

    struct Area: Sendable {
        var name: String?
        var items: [Item]
    }

    var region: Region
    var sheetId: String
    var sheetName: String
    var year: Int
    var source: String
    var wording: String
    var total: String
    var answered: Int
    var count: Int
    var verdict: String
    var verdictState: String
    var grade: String?
    var areas: [Area]
    var canScore: Bool
    var message: String?

    init(
        _ r: SheetResult, region: Region, year: Int, versions: [String: Int], files: [String: [File]], canScore: Bool, message: String?,
        lang: Language
    ) {
        let t = Strings.shared
        let sheet = r.sheet
        self.region = region
        sheetId = sheet.id
        sheetName = sheet.name(lang)
        self.year = year
        source = sheet.source
        wording = sheet.wording
        total =
            sheet.scoring == .points
            ? "\(NumberText.fixed(r.total, 1)) / 100（\(t("passMark", lang)) \(NumberText.plain(sheet.passTotal ?? 0))）"
            : "\(Int(r.total)) / \(sheet.items.count)"
        answered = r.answered
        count = r.items.count
        (verdict, verdictState) =
            switch r.passed {
            case true?: (t("pass", lang), "pass")
            case false?: (r.vetoed ? t("vetoed", lang) : t("fail", lang), "fail")
            case nil: (t("incomplete", lang), "open")
            }
        grade = r.grade.map { lang == .zh ? $0.zh : $0.en }
        self.canScore = canScore
        self.message = message
        let items = zip(sheet.items, r.items).map { item, result -> (String?, Item) in
            let e = result.entry
            let answer: String
            if let points = result.points, sheet.scoring == .points, item.max != nil {
                answer =
                    "\(NumberText.plain(points)) / \(NumberText.plain(item.max!))"
                    + (result.deducted.map { "（\(t("deducted", lang)) \(NumberText.plain($0))）" } ?? "")
            } else if let met = result.met {
                answer =
                    item.veto && item.max == nil
                    ? (met ? t("notHappened", lang) : t("vetoed", lang)) : (met ? t("itemMet", lang) : t("itemUnmet", lang))
            } else {
                answer = t("notScored", lang)
            }
            return (
                item.area,
                Item(
                    id: item.id, text: item.text(lang), methods: item.methods.map { lang == .zh ? $0.zh : $0.rawValue }.joined(separator: " "),
                    max: item.max.map(NumberText.plain), isVeto: item.veto,
                    isComputed: item.deduction != nil || result.computed?.passed != nil, isPoints: sheet.scoring == .points && item.max != nil,
                    isPassFail: sheet.scoring == .passFail && !(item.veto && item.max == nil),
                    state: result.vetoed ? "unmet" : result.met.map { $0 ? "met" : "unmet" } ?? "open", answer: answer,
                    computed: result.computed?.details ?? [], comment: e.flatMap { $0.comment.isEmpty ? nil : $0.comment },
                    evidence: e.flatMap { $0.evidence.isEmpty ? nil : $0.evidence }, files: files[item.id] ?? [],
                    version: versions[item.id] ?? 0, score: e?.score.map(NumberText.plain) ?? "", metYes: e?.met == true, metNo: e?.met == false,
                    vetoYes: e?.vetoed == true, vetoNo: e != nil && e?.vetoed == false && item.veto)
            )
        }
        if sheet.areas.isEmpty {
            areas = [Area(name: nil, items: items.map(\.1))]
        } else {
            areas = sheet.areas.map { area in
                Area(name: lang == .zh ? area.nameZh : area.nameEn, items: items.filter { $0.0 == area.id }.map(\.1))
            }
        }
    }
}
