import DudaoApp
import DudaoCore
import DudaoStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DudaoWeb

/// A clean routine visit to a day school with a canteen, except that meal samples are not
/// kept (canteen_samples = no), which the checklist turns into a finding.
let routineAnswers: [String: String] = [
    "students_enrolled": "555", "is_boarding": "no", "has_canteen": "yes", "mgmt_rules_public": "yes", "mgmt_duty_roster": "yes",
    "mgmt_last_rectification_done": "all_done", "fees_publicised": "yes", "fees_irregular": "no", "enrolment_by_exam": "no",
    "largest_class": "45", "curr_full_timetable": "yes", "curr_minor_subjects_cut": "no", "curr_lessons_observed": "2",
    "curr_lesson_quality": "good", "work_homework_limits": "yes", "work_schedule": "yes", "work_extra_classes": "no",
    "pe_daily_hour": "yes", "pe_eye_exercises": "yes", "health_absent_sick": "3", "health_counselling": "yes",
    "ethics_paid_tutoring": "no", "ethics_records": "yes", "teacher_training": "yes", "safety_gate": "yes", "safety_drills": "2",
    "safety_hazard": "no", "canteen_licence": "yes", "canteen_leader_meals": "yes", "canteen_samples": "no", "water_safe": "yes",
    "ethos_bullying": "yes", "ethos_order": "good",
]

func multipart(_ fields: [String: String], files: [(name: String, filename: String, data: Data)] = []) -> (HTTPFields, ByteBuffer) {
    let boundary = "dudao-test-boundary"
    var body = Data()
    for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
    }
    for file in files {
        body.append(
            Data(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.filename)\"\r\nContent-Type: image/jpeg\r\n\r\n"
                    .utf8))
        body.append(file.data)
        body.append(Data("\r\n".utf8))
    }
    body.append(Data("--\(boundary)--\r\n".utf8))
    return ([.contentType: "multipart/form-data; boundary=\(boundary)"], ByteBuffer(bytes: body))
}

@Suite("Recording a visit")
struct VisitTests {
    /// Items without a hint or a relevance condition show neither (an empty string used to
    /// render an empty hint line and an empty `data-relevant`); items with one show it.
    @Test func itemsWithoutHintOrConditionShowNone() async throws {
        try await withDemoApp { client, auth in
            try await client.execute(uri: "/schools/1411081001/visits/new?checklist=dropout-control", method: .get, headers: auth.cookie("inspector"))
            {
                let page = $0.text
                #expect($0.status == .ok)
                #expect(!page.contains("data-relevant=\"\""))
                #expect(!page.contains("<small class=\"muted\"></small>"))
                #expect(page.contains("data-relevant=\"students_left &gt; 0\"") || page.contains("data-relevant=\"students_left > 0\""))
            }
        }
    }

    @Test func signedVisitStoresPhotosAndOpensCasesForFindings() async throws {
        try await withDemoApp { client, auth in
            try await client.execute(uri: "/schools/1411081001/visits/new", method: .get, headers: auth.cookie("inspector")) { r in
                #expect(r.status == .ok && r.text.contains("name=\"a.canteen_samples\"") && r.text.contains("enctype=\"multipart/form-data\""))
            }
            // Office staff and principals do not record visits.
            try await client.execute(uri: "/schools/1411081001/visits/new", method: .get, headers: auth.cookie("principal")) {
                #expect($0.status == .notFound)
            }
            var fields = Dictionary(uniqueKeysWithValues: routineAnswers.map { ("a." + $0.key, $0.value) })
            fields["csrf"] = auth.csrf("inspector")
            fields["checklist"] = "routine"
            fields["visit_id"] = "V-test-1"
            fields["version"] = "0"
            fields["visit_date"] = "2026-11-24"
            fields["people_met"] = "校长、食堂管理员"
            fields["finding_description"] = "消防通道堆放杂物"
            fields["finding_category"] = "safety"
            fields["submit"] = "sign"
            let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 0x42, count: 2000) + [0xFF, 0xD9])
            let (headers, body) = multipart(fields, files: [("p.visit_photos", "门口.jpg", jpeg), ("photo", "通道.jpg", jpeg)])
            var h = auth.cookie("inspector")
            for field in headers { h.append(field) }
            let r = try await client.execute(uri: "/schools/1411081001/visits", method: .post, headers: h, body: body)
            #expect(r.status == .seeOther, "\(r.text.firstMatch(of: /id="flash">([^<]*)/)?.1 ?? "")")
            let db = try #require(TestContext.database)
            let visit = try #require(try await VisitRepository(db.sql).find("V-test-1"))
            #expect(visit.status == .signed && visit.inspectorId == "411081-I01")
            let files = try await AttachmentRepository(db.sql).list(objectType: "visit", objectId: "V-test-1")
            #expect(files.map(\.filename).sorted() == ["通道.jpg", "门口.jpg"] && files.allSatisfy { $0.size == jpeg.count })
            // Two cases: the checklist's finding (meal samples) and the written one.
            let cases = try await RectificationRepository(db.sql).list(under: "411081", school: "1411081001").filter { $0.id.hasPrefix("R-V-test-1") }
            #expect(Set(cases.map(\.category)) == ["canteen", "safety"])
            #expect(cases.allSatisfy { $0.deadline == "2026-12-24" && $0.state == .assigned })
            // The county officer sees the open case on the supervision page; the photo is served to people in scope only.
            try await client.execute(uri: "/regions/411081/supervision?state=assigned", method: .get, headers: auth.cookie("yuzhou")) { page in
                #expect(page.text.contains("消防通道堆放杂物"))
            }
            try await client.execute(uri: "/attachments/\(files[0].id)", method: .get, headers: auth.cookie("yuzhou")) {
                #expect($0.status == .ok && $0.body.readableBytes == jpeg.count)
            }
            try await client.execute(uri: "/attachments/\(files[0].id)", method: .get, headers: auth.cookie("changge")) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test func incompleteSignOffIsKeptAsDraft() async throws {
        try await withDemoApp { client, auth in
            var fields = ["a.students_enrolled": "555", "a.is_boarding": "no"]
            fields["csrf"] = auth.csrf("inspector")
            fields["checklist"] = "routine"
            fields["visit_id"] = "V-test-2"
            fields["version"] = "0"
            fields["submit"] = "sign"
            let (headers, body) = multipart(fields)
            var h = auth.cookie("inspector")
            for field in headers { h.append(field) }
            let r = try await client.execute(uri: "/schools/1411081001/visits", method: .post, headers: h, body: body)
            #expect(r.status == .unprocessableContent)
            #expect(r.text.contains("class=\"bad issue\""))
            let db = try #require(TestContext.database)
            let visit = try #require(try await VisitRepository(db.sql).find("V-test-2"))
            #expect(visit.status == .draft && visit.answers.contains("students_enrolled"))
        }
    }
}

@Suite("Recording visits over the API")
struct VisitAPITests {
    static func answers() -> [String: Any] {
        var out: [String: Any] = [:]
        let numbers: Set<String> = ["students_enrolled", "largest_class", "curr_lessons_observed", "health_absent_sick", "safety_drills"]
        let choices: Set<String> = ["mgmt_last_rectification_done", "curr_lesson_quality", "ethos_order"]
        for (k, v) in routineAnswers {
            out[k] = numbers.contains(k) ? ["number": Double(v)!] : choices.contains(k) ? ["choice": v] : ["bool": v == "yes"]
        }
        out["visit_photos"] = ["photo": 1]
        return out
    }

    @Test func signedVisitOpensCasesAndIncompleteOneStaysDraft() async throws {
        try await withDemoApp { client, auth in
            let signed = try await client.execute(
                uri: "/api/v1/schools/1411081004/visits", method: .post, headers: auth.bearer("inspector"),
                body: jsonBody([
                    "date": "2026-11-24", "answers": Self.answers(), "sign": true,
                    "findings": [["category": "safety", "description": "楼梯扶手松动"]],
                ]))
            #expect(signed.status == .created)
            let body = try #require(try signed.json() as? [String: Any])
            #expect(body["status"] as? String == "signed" && (body["cases"] as? [String])?.count == 2)
            let draft = try await client.execute(
                uri: "/api/v1/schools/1411081004/visits", method: .post, headers: auth.bearer("inspector"),
                body: jsonBody(["date": "2026-11-24", "answers": ["is_boarding": ["bool": false]], "sign": true]))
            #expect(draft.status == .unprocessableContent)
            #expect(
                try await client.execute(
                    uri: "/api/v1/schools/1411081004/visits", method: .post, headers: auth.bearer("yuzhou"),
                    body: jsonBody(["date": "2026-11-24", "answers": [:]])
                ).status == .forbidden)
            #expect(
                try await client.execute(
                    uri: "/api/v1/schools/1411082001/visits", method: .post, headers: auth.bearer("inspector"),
                    body: jsonBody(["date": "2026-11-24", "answers": [:]])
                ).status == .notFound)
        }
    }
}
