import DudaoApp
import DudaoCore
import Foundation

/// The public answering page: a questionnaire as a plain form (no JavaScript needed).
struct SurveyAnswerPage: Sendable {
    struct Choice: Sendable {
        var value: String
        var label: String
        var checked: Bool
    }

    struct Item: Sendable {
        var id: String
        var field: String
        var number: Int
        var text: String
        /// 仅适用时填写: asked only after some answers (the condition is checked on submission).
        var conditional: Bool
        var required: Bool
        /// `likert`, `choice`, `yes_no`, `number`, `text`.
        var isChoices: Bool
        var isNumber: Bool
        var isText: Bool
        var choices: [Choice]
        var value: String
        var error: String?
    }

    struct Section: Sendable {
        var title: String
        var items: [Item]
    }

    var title: String
    var intro: String
    var school: String
    var group: String
    var closes: String
    var action: String
    var sections: [Section]
    var errorCount: Int
    var saved: Bool

    init(
        _ a: Surveys.Answering, token: String, answers: ChecklistAnswers, raw: [String: String], issues: [ChecklistIssue], saved: Bool, lang: Language
    ) {
        let zh = lang == .zh
        title = a.survey.name(lang)
        intro = zh ? a.survey.introZh : a.survey.introEn
        school = a.schoolName
        group = zh ? a.link.group.zh : a.link.group.en
        closes = a.campaign.closesOn
        action = "/s/\(token)"
        self.saved = saved
        errorCount = issues.count
        var n = 0
        sections = a.survey.sections.map { section in
            Section(
                title: zh ? section.titleZh : section.titleEn,
                items: section.items.map { item in
                    n += 1
                    let field = "a_\(item.id)"
                    let current = raw[field] ?? Self.formValue(answers[item.id])
                    let options: [(String, String)] =
                        switch item.type {
                        case .yesNo: [("1", zh ? "是" : "Yes"), ("0", zh ? "否" : "No")]
                        case .choice, .likert: item.choices.map { ($0.id, zh ? $0.zh : $0.en) }
                        default: []
                        }
                    let issue = issues.first { $0.itemId == item.id }
                    return Item(
                        id: item.id, field: field, number: n, text: zh ? item.textZh : item.textEn, conditional: item.relevant != nil,
                        required: item.required, isChoices: !options.isEmpty, isNumber: item.type == .number, isText: item.type == .text,
                        choices: options.map { Choice(value: $0.0, label: $0.1, checked: $0.0 == current) }, value: current,
                        error: issue.map { zh ? $0.messageZh : $0.messageEn })
                })
        }
    }

    static func formValue(_ answer: ChecklistAnswer?) -> String {
        switch answer {
        case .bool(let b)?: b ? "1" : "0"
        case .number(let v)?: NumberText.plain(v)
        case .text(let s)?: s
        case .choice(let id)?: id
        default: ""
        }
    }
}

/// The office's list of a region's campaigns, with the form that creates links.
struct SurveysPage: Sendable {
    struct Row: Sendable {
        var id: String
        var title: String
        var region: String
        var closes: String
        var state: String
        var invited: Int
        var responses: Int
        var rate: String
    }

    struct Option: Sendable {
        var id: String
        var name: String
    }

    var region: Region
    var campaigns: [Row]
    var canCreate: Bool
    var surveys: [Option]
    var groups: [Option]
    var closes: String
    /// One line a year with closed satisfaction campaigns: its 社会认可度.
    var satisfaction: [String]
    var hasSatisfaction: Bool
}

/// One campaign's results, its links and what the office can do with it.
struct CampaignPage: Sendable {
    struct Part: Sendable {
        var name: String
        var group: String
        var invited: Int
        var responses: Int
        var responseRate: String
        var satisfaction: String
        var suppressed: Bool
    }

    struct Bar: Sendable {
        var label: String
        var count: Int
        var share: String
    }

    struct Item: Sendable {
        var id: String
        var text: String
        var answered: Int
        var bars: [Bar]
        /// Named apart from the page's figures: a missing value must not fall back to them in the template.
        var itemMean: String?
        var itemSatisfaction: String?
        var chart: String
        var chartHref: String
    }

    var id: String
    var title: String
    var surveyName: String
    var regionName: String
    var regionCode: String
    var closes: String
    var open: Bool
    var invited: Int
    var responses: Int
    var responseRate: String
    var satisfaction: String
    var suppressed: Bool
    var minimum: Int
    var groups: [Part]
    var schools: [Part]
    var items: [Item]
    var groupOptions: [SurveysPage.Option]
}

/// Printable invitation sheets: one card per unused link with its QR code.
struct InvitationsPage: Sendable {
    struct Card: Sendable {
        var school: String
        var group: String
        var url: String
        var qr: String
    }

    var title: String
    var surveyName: String
    var closes: String
    var cards: [Card]
    var total: Int
}
