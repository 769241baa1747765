import DudaoCore
import Foundation

/// A county's result frozen at an evaluation step (SPEC §4.2), stored as JSON with the step.
///
/// Format 1 is the `CountyEvaluationDTO` JSON itself (sorted keys), as steps have stored it
/// since the evaluation chain began; `formatVersion` names it. A later format gets a new number
/// and a decoder branch here. Decoding never guesses: a snapshot that does not decode is an
/// error naming what failed, not a missing notice.
public enum EvaluationSnapshot {
    public static let formatVersion = 1

    public struct Unreadable: Error, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String {
            "a frozen evaluation result (snapshot format \(EvaluationSnapshot.formatVersion)) could not be read: \(reason)"
        }
    }

    public static func encode(_ dto: CountyEvaluationDTO) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(dto), as: UTF8.self)
    }

    public static func decode(_ json: String) throws -> CountyEvaluationDTO {
        do { return try JSONDecoder().decode(CountyEvaluationDTO.self, from: Data(json.utf8)) } catch let error as DecodingError {
            throw Unreadable(reason: "\(error)")
        }
    }
}

/// What changed between a frozen evaluation result and a recomputation (SPEC §4.2: a result
/// can be recomputed but never silently changed, so the difference is shown instead).
public struct SnapshotDiff: Encodable, Sendable {
    public struct Change: Encodable, Sendable {
        public var what: String
        public var was: String
        public var now: String
    }

    public var changes: [Change]

    public static func between(_ old: CountyEvaluationDTO, _ new: CountyEvaluationDTO) -> SnapshotDiff {
        var changes: [Change] = []
        func verdict(_ b: Bool?) -> String { b.map { $0 ? "pass" : "fail" } ?? "—" }
        if old.passed != new.passed { changes.append(Change(what: "passed", was: verdict(old.passed), now: verdict(new.passed))) }
        for part in new.parts ?? [] {
            let was = old.parts?.first { $0.id == part.id }
            if was?.status != part.status || was?.total != part.total {
                let before = was.map { "\($0.status)\($0.total.map { " " + NumberText.short($0) } ?? "")" } ?? "—"
                changes.append(Change(what: "\(part.id)", was: before, now: "\(part.status)\(part.total.map { " " + NumberText.short($0) } ?? "")"))
            }
        }
        for stage in new.stages {
            guard let before = old.stages.first(where: { $0.stage == stage.stage }) else { continue }
            if before.passed != stage.passed {
                changes.append(Change(what: "\(stage.stage).passed", was: verdict(before.passed), now: verdict(stage.passed)))
            }
            for indicator in stage.indicators {
                guard let was = before.indicators.first(where: { $0.id == indicator.id }) else { continue }
                let a = was.cv.map { NumberText.fixed($0, 4) } ?? "—", b = indicator.cv.map { NumberText.fixed($0, 4) } ?? "—"
                if a != b { changes.append(Change(what: "\(stage.stage).\(indicator.id).cv", was: a, now: b)) }
            }
        }
        let oldSchools = Dictionary(old.schools.map { ("\($0.code)/\($0.stage)", $0.passed) }, uniquingKeysWith: { a, _ in a })
        for school in new.schools {
            let key = "\(school.code)/\(school.stage)"
            if let was = oldSchools[key], was != school.passed {
                changes.append(Change(what: "\(school.name) \(school.stage)", was: verdict(was), now: verdict(school.passed)))
            } else if oldSchools[key] == nil {
                changes.append(Change(what: "\(school.name) \(school.stage)", was: "—", now: verdict(school.passed)))
            }
        }
        return SnapshotDiff(changes: changes)
    }
}
