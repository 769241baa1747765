import DudaoApp
import DudaoCore
import DudaoStore
import Foundation
import Hummingbird

/// The key-task API: targets, their breakdown and standing, progress reports and review, the
/// dispatch ranking, letters and their replies, talks and accountability records.
extension APIRoutes {
    struct TargetBody: Decodable {
        var year: Int
        var title: String
        var description: String?
    }

    struct TargetInfo: Encodable {
        var id: String
        var region_code: String
        var year: Int
        var title: String
        var completion: Double
        var completion_text: String
    }

    struct TaskBody: Decodable {
        var number: String
        var title: String
        var unit: String
        var region_code: String?
        var first_responsible: String?
        var direct_responsible: String?
        var deadline: String
        var weight: Double?
        /// checkbox (default), number, computed.
        var measure: String?
        var target_value: Double?
        var baseline: Double?
        var measure_unit: String?
        var metric: String?
        var cadence: String?
    }

    struct ReportBody: Decodable {
        var day: String?
        var value: Double?
        var done: Bool?
        var narrative: String?
    }

    struct ReviewBody: Decodable {
        var accept: Bool
        var note: String?
    }

    struct LetterBody: Decodable {
        var kind: String
        var trigger: String
        var object: String
        var unit: String?
        var reply_due: String
    }

    struct LetterInfo: Encodable {
        var id: String
        var number: String
        var kind: String
        var trigger: String
        var object: String
        var unit: String
        var unit_region: String
        var title: String
        var body: [String]
        var issued_on: String
        var reply_due: String
        var reply: String?
        var replied_on: String?

        init(_ l: EscalationLetter) {
            id = l.id
            number = l.number
            kind = l.kind.rawValue
            trigger = l.trigger.rawValue
            object = l.objectId
            unit = l.unit
            unit_region = l.unitRegion
            title = l.title
            body = l.body
            issued_on = l.issuedOn
            reply_due = l.replyDue
            reply = l.reply
            replied_on = l.repliedOn
        }
    }

    struct ReplyBody: Decodable {
        var reply: String
    }

    struct RecordBody: Decodable {
        var kind: String
        var person: String
        var position: String?
        var unit: String?
        var unit_region: String?
        var day: String
        var form: String
        var facts: String
        var letter: String?
    }

    static func draft(_ b: TaskBody) throws -> KeyTaskDraft {
        let measure: KeyTaskMeasure
        switch b.measure ?? (b.metric != nil ? "computed" : b.target_value != nil ? "number" : "checkbox") {
        case "checkbox": measure = .checkbox
        case "number":
            guard let t = b.target_value else { throw AppError.invalid("target_value", zh: "数值类任务须填写目标值", en: "a number task needs target_value") }
            measure = .number(target: t, baseline: b.baseline ?? 0, unit: b.measure_unit ?? "")
        case "computed":
            guard let m = b.metric.flatMap(KeyMetric.init(rawValue:)) else {
                throw AppError.invalid(
                    "metric", zh: "未知的指标", en: "metric must be one of \(KeyMetric.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let t = b.target_value else {
                throw AppError.invalid("target_value", zh: "自动计算的任务须填写目标值", en: "a computed task needs target_value")
            }
            measure = .computed(metric: m, target: t, baseline: b.baseline ?? 0)
        case let other:
            throw AppError.invalid(
                "measure", zh: "完成标准应为 checkbox、number 或 computed：\(other)", en: "measure must be checkbox, number or computed: \(other)")
        }
        let cadence = try Checked.choice(b.cadence ?? "monthly", field: "cadence", as: ReportCadence.self)
        return KeyTaskDraft(
            number: b.number, title: b.title, unit: b.unit, region: b.region_code, firstResponsible: b.first_responsible ?? "",
            directResponsible: b.direct_responsible ?? "", deadline: b.deadline, weight: b.weight, measure: measure, cadence: cadence)
    }

    func registerKeyTasks(on api: RouterGroup<SignedInContext>) {
        let keyTasks = state.services.keyTasks
        api.get("regions/:code/key-targets") { request, context in
            let code = try context.parameters.text("code")
            let today = state.services.clock.moment.today
            var out: [TargetInfo] = []
            for t in try await keyTasks.targets(region: code, year: try request.queryYear(), for: context.user) {
                let p = try await keyTasks.progress(t.id, asOf: today, for: context.user)
                out.append(
                    TargetInfo(
                        id: t.id, region_code: t.regionCode, year: t.year, title: t.title, completion: p.completion,
                        completion_text: NumberText.percent(p.completion)))
            }
            return try json(out)
        }
        api.post("regions/:code/key-targets") { request, context in
            let code = try context.parameters.text("code")
            let body = try await request.decode(
                TargetBody.self, context: context, limit: 64 * 1024, expected: "{\"year\": 2026, \"title\": \"…\", \"description\": \"…\" (optional)}"
            )
            let t = try await keyTasks.createTarget(
                region: code, year: body.year, title: body.title, description: body.description ?? "", by: context.user)
            return try json(
                TargetInfo(id: t.id, region_code: t.regionCode, year: t.year, title: t.title, completion: 0, completion_text: "0.00%"),
                status: .created)
        }
        api.get("key-targets/:id") { request, context in
            let p = try await keyTasks.progress(try context.parameters.text("id"), asOf: try request.queryDate("date"), for: context.user)
            return try json(KeyTargetDTO(p))
        }
        api.post("key-targets/:id/tasks") { request, context in
            let id = try context.parameters.text("id")
            let body = try await request.decode(
                [TaskBody].self, context: context, limit: 1 << 20,
                expected:
                    "[{\"number\": \"1.2\", \"title\": \"…\", \"unit\": \"…\", \"deadline\": \"YYYY-MM-DD\", \"weight\": 1, \"target_value\": 3}]")
            guard body.count <= 5000 else { throw AppError.invalid("body", zh: "一次最多添加5000项任务", en: "at most 5,000 tasks at a time") }
            try await keyTasks.addTasks(try body.map(Self.draft), to: id, by: context.user)
            return try json(KeyTargetDTO(try await keyTasks.progress(id, for: context.user)), status: .created)
        }
        api.post("key-tasks/:id/reports") { request, context in
            let id = try context.parameters.text("id")
            let body = try await request.decode(
                ReportBody.self, context: context, limit: 64 * 1024,
                expected: "{\"day\": \"YYYY-MM-DD\" (optional), \"value\": 2 (number tasks), \"done\": true (checkbox tasks), \"narrative\": \"…\"}")
            let r = try await keyTasks.report(
                .init(taskId: id, day: body.day, value: body.value, done: body.done, narrative: body.narrative ?? ""), by: context.user)
            return try json(["id": r.id, "status": r.status.rawValue], status: .created)
        }
        api.post("key-task-reports/:id/review") { request, context in
            let id = try context.parameters.text("id")
            let body = try await request.decode(ReviewBody.self, context: context, limit: 16 * 1024, expected: "{\"accept\": true, \"note\": \"…\"}")
            try await keyTasks.review(id, accept: body.accept, note: body.note ?? "", by: context.user)
            return Response(status: .noContent)
        }
        api.post("key-targets/:id/refresh") { _, context in
            let changed = try await keyTasks.refreshComputed(try context.parameters.text("id"), by: context.user)
            return try json(["changed": changed])
        }
        api.get("regions/:code/dispatch") { request, context in
            let code = try context.parameters.text("code")
            let year = try request.queryYear() ?? Int(state.services.clock.moment.today.prefix(4))!
            let (targets, view) = try await keyTasks.dispatch(
                region: code, year: year, target: try request.query("target"), day: try request.queryDate("date"),
                since: try request.queryDate("since"),
                for: context.user)
            return try json(DispatchDTO(region: code, year: year, targets: targets, view: view))
        }
        api.post("letters") { request, context in
            let body = try await request.decode(
                LetterBody.self, context: context, limit: 16 * 1024,
                expected:
                    "{\"kind\": \"reminder|supervision|warning\", \"trigger\": \"key_task|rectification|ranking\", \"object\": \"…\", \"unit\": \"…\" (ranking), \"reply_due\": \"YYYY-MM-DD\"}"
            )
            let kind = try Checked.choice(body.kind, field: "kind", as: LetterKind.self)
            let trigger = try Checked.choice(body.trigger, field: "trigger", as: LetterTrigger.self)
            let l = try await state.services.escalations.issue(
                .init(kind: kind, trigger: trigger, objectId: body.object, unit: body.unit, replyDue: body.reply_due), by: context.user)
            return try json(LetterInfo(l), status: .created)
        }
        api.get("letters/:id") { _, context in
            try json(LetterInfo(try await state.services.escalations.letter(try context.parameters.text("id"), for: context.user)))
        }
        api.get("regions/:code/letters") { _, context in
            try json(
                try await state.services.escalations.letters(region: try context.parameters.text("code"), for: context.user).map(LetterInfo.init))
        }
        api.post("letters/:id/reply") { request, context in
            let id = try context.parameters.text("id")
            let body = try await request.decode(ReplyBody.self, context: context, limit: 64 * 1024, expected: "{\"reply\": \"…\"}")
            try await state.services.escalations.reply(id, text: body.reply, by: context.user)
            return Response(status: .noContent)
        }
        api.post("regions/:code/accountability") { request, context in
            let code = try context.parameters.text("code")
            let body = try await request.decode(
                RecordBody.self, context: context, limit: 64 * 1024,
                expected:
                    "{\"kind\": \"talk|accountability\", \"person\": \"…\", \"position\": \"…\", \"unit\": \"…\", \"unit_region\": \"…\", \"day\": \"YYYY-MM-DD\", \"form\": \"…\", \"facts\": \"…\", \"letter\": \"…\" (optional)}"
            )
            let kind = try Checked.choice(body.kind, field: "kind", as: AccountabilityKind.self)
            let r = try await state.services.escalations.record(
                .init(
                    kind: kind, person: body.person, position: body.position ?? "", unit: body.unit ?? "",
                    unitRegion: body.unit_region ?? (body.letter == nil ? code : ""), day: body.day, form: body.form, facts: body.facts,
                    letterId: body.letter),
                by: context.user)
            return try json(["id": r.id], status: .created)
        }
    }
}
