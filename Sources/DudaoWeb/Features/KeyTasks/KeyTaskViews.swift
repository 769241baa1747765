import DudaoApp
import DudaoCore
import Foundation

/// Choices of a `<select>`.
struct SelectOption: Sendable {
    var id: String
    var name: String
    var selected: Bool = false
}

/// 重点工作: a region's targets of a year, what awaits the caller, and the form that sets a target.
struct KeyTargetsPage: Sendable {
    struct Row: Sendable {
        var id: String
        var title: String
        var region: String
        var year: Int
        var tasks: Int
        var completion: String
        var overdue: Int
        var stalled: Int
        var pending: Int
    }

    struct Due: Sendable {
        var id: String
        var number: String
        var title: String
        var target: String
        var unit: String
        var deadline: String
        var state: String
        var late: Bool
    }

    var region: Region
    var year: Int
    var years: [SelectOption]
    var targets: [Row]
    /// Reports awaiting the caller's review.
    var toReview: [Due]
    /// Leaf tasks owned in the region, late or due within 30 days and not complete.
    var dueSoon: [Due]
    var canCreate: Bool
    var hasToReview = false
    var hasDueSoon = false
}

/// One target: its tasks as a tree with completion, lateness and stalls on a day.
struct KeyTargetPage: Sendable {
    struct Row: Sendable {
        var id: String
        var number: String
        var depthClass: String
        var isLeaf: Bool
        var title: String
        var unit: String
        var responsible: String
        var deadline: String
        var weight: String
        var share: String
        var measure: String
        var progress: String
        var completion: String
        var percent: Int
        var overdue: String?
        var stalled: String?
        /// Reports awaiting review (nil when none).
        var pending: Int?
    }

    var id: String
    var title: String
    var description: String
    var region: String
    var regionCode: String
    var year: Int
    var asOf: String
    var completion: String
    var rows: [Row]
    var canManage: Bool
    var hasComputed: Bool
    var metrics: [SelectOption]
    var cadences: [SelectOption]
}

/// One task: its standing, its reports (with review), evidence, letters, and the forms.
struct KeyTaskPage: Sendable {
    struct Report: Sendable {
        var id: String
        var day: String
        var value: String
        var narrative: String
        var status: String
        var statusId: String
        var by: String
        var note: String
        var canReview: Bool
    }

    struct Letter: Sendable {
        var id: String
        var number: String
        var kind: String
        var issued: String
        var replied: String
    }

    struct Evidence: Sendable {
        var id: String
        var title: String
    }

    var id: String
    var number: String
    var title: String
    var targetId: String
    var targetTitle: String
    var unit: String
    var region: String
    var firstResponsible: String
    var directResponsible: String
    var deadline: String
    var cadence: String
    var measure: String
    var completion: String
    var overdue: String?
    var stalled: String?
    var isLeaf: Bool
    var reports: [Report]
    var evidence: [Evidence]
    var letters: [Letter]
    var canReport: Bool
    var isCheckbox: Bool
    var isNumber: Bool
    var computedNote: String?
    var canEscalate: Bool
    var kinds: [SelectOption]
    var today: String
    var replyDue: String
    var hasEvidence = false
    var hasLetters = false
}

/// 调度会 / 晾晒进度: the ranking with its change, what fell due, what is late, and the method.
struct DispatchPage: Sendable {
    struct Unit: Sendable {
        var rank: Int
        var unit: String
        var tasks: Int
        var completion: String
        var percent: Int
        var due: Int
        var onTime: Int
        var onTimeRate: String
        var overdue: Int
        var stalled: Int
        var change: String
        var changeClass: String
        var points: String
        var isLast: Bool
    }

    struct Item: Sendable {
        var taskId: String
        var target: String
        var number: String
        var title: String
        var unit: String
        var deadline: String
        var completion: String
        var outcome: String
    }

    var region: Region
    var year: Int
    var day: String
    var since: String
    var targets: String
    var units: [Unit]
    var last: [String]
    var due: [Item]
    var late: [Item]
    var stalled: [Item]
    var method: [String]
    var canEscalate: Bool
    var kinds: [SelectOption]
    var replyDue: String
    var object: String
    var download: String
    var hasLast = false
}

/// A region's letters (issued and received) and its talks and accountability records.
struct LettersPage: Sendable {
    struct Letter: Sendable {
        var id: String
        var number: String
        var kind: String
        var unit: String
        var title: String
        var issued: String
        var replyDue: String
        var state: String
        var overdue: Bool
    }

    struct Record: Sendable {
        var kind: String
        var person: String
        var position: String
        var unit: String
        var day: String
        var form: String
        var facts: String
        var letter: String?
        var letterId: String?
    }

    var region: Region
    var letters: [Letter]
    var records: [Record]
    var canRecord: Bool
    var recordKinds: [SelectOption]
    var today: String
}

/// One letter as issued, its reply, and the talk or accountability form it may lead to.
struct LetterPage: Sendable {
    var id: String
    var number: String
    var title: String
    var kind: String
    var body: [String]
    var office: String
    var issued: String
    var replyDue: String
    var reply: String?
    var replied: String?
    var replyOverdue: Bool
    var canReply: Bool
    var canRecord: Bool
    var unitRegion: String
    var about: String
    var aboutHref: String?
    var recordKinds: [SelectOption]
    var today: String
}
