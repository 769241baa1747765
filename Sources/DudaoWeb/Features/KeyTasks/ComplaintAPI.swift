import DudaoApp
import DudaoCore
import DudaoStore
import Foundation
import Hummingbird

/// The API of the projects register, complaints and the caller's agenda.
extension APIRoutes {
    struct ProjectBody: Decodable {
        var name: String
        var kind: String
        var school: String?
        var budget: Double
        var places_added: Int
        var planned_start: String
        var planned_completion: String
    }

    struct ProjectInfo: Encodable {
        var id: String
        var region_code: String
        var name: String
        var kind: String
        var school: String?
        var budget: Double
        var places_added: Int
        var stage: String
        var planned_start: String
        var planned_completion: String
        var started_on: String?
        var completed_on: String?
        var in_use_on: String?
        var late_to_start: Bool
        var late_to_complete: Bool
        var version: Int

        init(_ p: Project, today: String) {
            id = p.id
            region_code = p.regionCode
            name = p.name
            kind = p.kind.rawValue
            school = p.schoolCode
            budget = p.budget
            places_added = p.placesAdded
            stage = p.stage.rawValue
            planned_start = p.plannedStart
            planned_completion = p.plannedCompletion
            started_on = p.startedOn
            completed_on = p.completedOn
            in_use_on = p.inUseOn
            late_to_start = p.lateToStart(today: today)
            late_to_complete = p.lateToComplete(today: today)
            version = p.version
        }
    }

    struct StageBody: Decodable {
        var stage: String
        var day: String?
        var version: Int
    }

    struct ComplaintBody: Decodable {
        var source: String
        var received_on: String?
        var complainant: String?
        var phone: String?
        var content: String
        var school: String?
    }

    struct ComplaintInfo: Encodable {
        var id: String
        var region_code: String
        var number: String
        var source: String
        var received_on: String
        var content: String
        var school: String?
        var assigned_unit: String?
        var deadline: String?
        var state: String
        var overdue: Bool
        var reply: String?
        var answered_on: String?
        var called_back_on: String?
        var satisfied: Bool?
        var rectification: String?
        var key_task: String?
        var version: Int

        init(_ c: Complaint, today: String) {
            id = c.id
            region_code = c.regionCode
            number = c.number
            source = c.source.rawValue
            received_on = c.receivedOn
            content = c.content
            school = c.schoolCode
            assigned_unit = c.assignedUnit
            deadline = c.deadline
            state = c.state.rawValue
            overdue = c.isOverdue(today: today)
            reply = c.reply
            answered_on = c.answeredOn
            called_back_on = c.calledBackOn
            satisfied = c.satisfied
            rectification = c.rectificationId
            key_task = c.keyTaskId
            version = c.version
        }
    }

    struct ComplaintRatesInfo: Encodable {
        var region_code: String
        var received: Int
        var closed: Int
        var called_back: Int
        var overdue: Int
        var closing_rate: Double?
        var closing_rate_text: String
        var callback_rate: Double?
        var callback_rate_text: String
    }

    struct ComplaintList: Encodable {
        var from: String
        var to: String
        var rates: [ComplaintRatesInfo]
        var complaints: [ComplaintInfo]
    }

    struct ComplaintActionBody: Decodable {
        /// assign, follow_up, answer, call_back.
        var action: String
        var version: Int
        var unit: String?
        var deadline: String?
        var school: String?
        var note: String?
        var reply: String?
        var satisfied: Bool?
    }

    struct AgendaItemInfo: Encodable {
        var kind: String
        var title: String
        var href: String
        var due: String?
        var overdue: Bool
    }

    func registerComplaints(on api: RouterGroup<SignedInContext>) {
        let services = state.services
        api.get("regions/:code/projects") { _, context in
            let (projects, _) = try await services.projects.register(of: try context.parameters.text("code"), for: context.user)
            let today = services.clock.moment.today
            return try json(projects.map { ProjectInfo($0, today: today) })
        }
        api.post("regions/:code/projects") { request, context in
            let code = try context.parameters.text("code")
            let b = try await request.decode(
                ProjectBody.self, context: context, limit: 64 * 1024,
                expected:
                    "{\"name\": \"…\", \"kind\": \"new_school|expansion|boarding|renovation|other\", \"budget\": 8600, \"places_added\": 1620, \"planned_start\": \"YYYY-MM-DD\", \"planned_completion\": \"YYYY-MM-DD\", \"school\": \"…\" (optional)}"
            )
            let kind = try Checked.choice(b.kind, field: "kind", as: ProjectKind.self)
            let p = try await services.projects.register(
                .init(
                    region: code, name: b.name, kind: kind, schoolCode: b.school, budget: b.budget, placesAdded: b.places_added,
                    plannedStart: b.planned_start,
                    plannedCompletion: b.planned_completion), by: context.user)
            return try json(ProjectInfo(p, today: services.clock.moment.today), status: .created)
        }
        api.post("projects/:id/stage") { request, context in
            let b = try await request.decode(
                StageBody.self, context: context, limit: 16 * 1024,
                expected: "{\"stage\": \"started|completed|in_use\", \"day\": \"YYYY-MM-DD\", \"version\": 1}")
            let stage = try Checked.choice(b.stage, field: "stage", as: ProjectStage.self)
            let p = try await services.projects.advance(
                try context.parameters.text("id"), to: stage, on: b.day,
                expectedVersion: try Checked.integer(b.version, field: "version", in: Checked.versions),
                by: context.user)
            return try json(ProjectInfo(p, today: services.clock.moment.today))
        }
        api.get("regions/:code/complaints") { request, context in
            let code = try context.parameters.text("code")
            let today = services.clock.moment.today
            let to = try request.queryDate("to") ?? today
            let from = try request.queryDate("from") ?? String(to.prefix(4)) + "-01-01"
            let (list, rates) = try await services.complaints.list(region: code, from: from, to: to, for: context.user)
            return try json(
                ComplaintList(
                    from: from, to: to,
                    rates: rates.sorted { $0.key < $1.key }.map { code, r in
                        ComplaintRatesInfo(
                            region_code: code, received: r.received, closed: r.closed, called_back: r.calledBack, overdue: r.overdue,
                            closing_rate: r.closingRate,
                            closing_rate_text: r.closingRate.map(NumberText.percent) ?? "—", callback_rate: r.callbackRate,
                            callback_rate_text: r.callbackRate.map(NumberText.percent) ?? "—")
                    }, complaints: list.map { ComplaintInfo($0, today: today) }))
        }
        api.post("regions/:code/complaints") { request, context in
            let code = try context.parameters.text("code")
            let b = try await request.decode(
                ComplaintBody.self, context: context, limit: 64 * 1024,
                expected:
                    "{\"source\": \"plate_phone|hotline_12345|letter|visit|online\", \"content\": \"…\", \"school\": \"…\" (optional), \"received_on\": \"YYYY-MM-DD\" (optional)}"
            )
            let source = try Checked.choice(b.source, field: "source", as: ComplaintSource.self)
            let c = try await services.complaints.register(
                .init(
                    region: code, source: source, receivedOn: b.received_on, complainant: b.complainant ?? "", phone: b.phone ?? "",
                    content: b.content,
                    schoolCode: b.school), by: context.user)
            return try json(ComplaintInfo(c, today: services.clock.moment.today), status: .created)
        }
        api.post("complaints/:id/actions") { request, context in
            let b = try await request.decode(
                ComplaintActionBody.self, context: context, limit: 64 * 1024,
                expected:
                    "{\"action\": \"assign|follow_up|answer|call_back\", \"version\": 1, \"unit\": \"…\", \"deadline\": \"YYYY-MM-DD\", \"note\": \"…\", \"reply\": \"…\", \"satisfied\": true}"
            )
            let action: ComplaintAction
            switch b.action {
            case "assign": action = .assign(unit: b.unit ?? "", deadline: b.deadline ?? "")
            case "follow_up": action = .followUp(b.note ?? "")
            case "answer": action = .answer(b.reply ?? "")
            case "call_back":
                guard let satisfied = b.satisfied else { throw AppError.invalid("satisfied", zh: "请说明是否满意", en: "satisfied is required") }
                action = .callBack(satisfied: satisfied, note: b.note ?? "")
            default:
                throw AppError.invalid(
                    "action", zh: "操作应为 assign、follow_up、answer 或 call_back", en: "action must be assign, follow_up, answer or call_back")
            }
            let c = try await services.complaints.act(
                action, id: try context.parameters.text("id"), school: b.school,
                expectedVersion: try Checked.integer(b.version, field: "version", in: Checked.versions), by: context.user)
            return try json(ComplaintInfo(c, today: services.clock.moment.today))
        }
        api.get("agenda") { _, context in
            try json(
                try await services.agenda.items(for: context.user).map {
                    AgendaItemInfo(kind: $0.kind.rawValue, title: $0.title, href: $0.href, due: $0.due, overdue: $0.overdue)
                })
        }
    }
}
