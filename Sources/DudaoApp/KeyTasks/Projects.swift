import DudaoCore
import DudaoStore
import Foundation

/// 建设项目台账 (issue 12): use cases `RegisterProject`, `AdvanceProject`; a county's summary.
public struct Projects: Sendable {
    let services: Services

    public init(_ services: Services) { self.services = services }

    public struct Input: Sendable {
        public var region: String
        public var name: String
        public var kind: ProjectKind
        public var schoolCode: String?
        public var budget: Double
        public var placesAdded: Int
        public var plannedStart: String
        public var plannedCompletion: String

        public init(
            region: String, name: String, kind: ProjectKind, schoolCode: String? = nil, budget: Double, placesAdded: Int, plannedStart: String,
            plannedCompletion: String
        ) {
            self.region = region
            self.name = name
            self.kind = kind
            self.schoolCode = schoolCode
            self.budget = budget
            self.placesAdded = placesAdded
            self.plannedStart = plannedStart
            self.plannedCompletion = plannedCompletion
        }
    }

    /// Registers a project of a county (its office or those above).
    public func register(_ i: Input, by actor: Identity) async throws -> Project {
        guard actor.canSuperviseKeyTasks(region: i.region), try await RegionRepository(services.reads).find(i.region) != nil else {
            throw ServiceError.notFound("region \(i.region)")
        }
        guard RegionCode.level(of: i.region) == .county else {
            throw ServiceError(.invalid, code: "invalid", field: "region", zh: "项目按区县登记，请选择一个区县", en: "a project belongs to one county")
        }
        let name = try Checked.text(i.name, field: "name", max: 200)
        guard !name.isEmpty else { throw ServiceError(.invalid, code: "invalid", field: "name", zh: "请填写项目名称", en: "the project needs a name") }
        if let school = i.schoolCode, !school.isEmpty {
            guard let s = try await SchoolRepository(services.reads).find(school), s.countyCode == i.region else {
                throw ServiceError(
                    .invalid, code: "invalid", field: "school", zh: "该区县没有此学校：\(school)", en: "no such school in the county: \(school)")
            }
        }
        let budget = try Checked.number(i.budget, field: "budget", in: 0...10_000_000, whole: false)
        let places = try Checked.integer(i.placesAdded, field: "places_added", in: 0...100_000)
        let start = try Checked.date(i.plannedStart, field: "planned_start")
        let completion = try Checked.date(i.plannedCompletion, field: "planned_completion")
        guard completion >= start else {
            throw ServiceError(
                .invalid, code: "invalid", field: "planned_completion", zh: "计划竣工日期不能早于计划开工日期",
                en: "planned completion cannot be before the planned start")
        }
        return try await services.transaction { tx, now in
            let p = Project(
                id: UUID().uuidString.lowercased(), regionCode: i.region, name: name, kind: i.kind,
                schoolCode: i.schoolCode.flatMap { $0.isEmpty ? nil : $0 },
                budget: budget, placesAdded: places, plannedStart: start, plannedCompletion: completion)
            try await ProjectRepository(tx).insert(p, at: now.timestamp)
            try await AuditLog(tx).record([
                AuditEntry(
                    at: now.timestamp, actor: actor.username, action: "create", objectType: "project", objectId: p.id, oldValue: nil,
                    newValue: "\(name); \(i.kind.rawValue); \(NumberText.plain(budget))万元; \(places) places; \(start)–\(completion)",
                    regionCode: i.region)
            ])
            return p
        }
    }

    /// Moves a project to a later stage on a day (default today).
    @discardableResult
    public func advance(_ id: String, to stage: ProjectStage, on day: String?, expectedVersion: Int, by actor: Identity) async throws -> Project {
        guard let current = try await ProjectRepository(services.reads).find(id), actor.canSuperviseKeyTasks(region: current.regionCode) else {
            throw ServiceError.notFound("project \(id)")
        }
        let today = services.clock.moment.today
        let day = try Checked.date(day ?? today, field: "day")
        guard day <= today else {
            throw ServiceError(.invalid, code: "invalid", field: "day", zh: "日期不能晚于今天（\(today)）", en: "the day cannot be after today (\(today))")
        }
        let next = try current.advanced(to: stage, on: day)
        return try await services.transaction { tx, now in
            guard try await ProjectRepository(tx).update(next, expectedVersion: expectedVersion, at: now.timestamp) else {
                throw ServiceError(
                    .conflict, code: "version_conflict", zh: "该项目已被他人修改，请刷新后重试", en: "the project was changed meanwhile; reload and try again")
            }
            try await AuditLog(tx).record([
                AuditEntry(
                    at: now.timestamp, actor: actor.username, action: "advance", objectType: "project", objectId: id,
                    oldValue: current.stage.rawValue,
                    newValue: "\(stage.rawValue) on \(day)", regionCode: current.regionCode)
            ])
            return Project(
                id: next.id, regionCode: next.regionCode, name: next.name, kind: next.kind, schoolCode: next.schoolCode, budget: next.budget,
                placesAdded: next.placesAdded, stage: next.stage, plannedStart: next.plannedStart, plannedCompletion: next.plannedCompletion,
                startedOn: next.startedOn, completedOn: next.completedOn, inUseOn: next.inUseOn, version: expectedVersion + 1)
        }
    }

    /// A region's projects with one summary per county.
    public func register(of region: String, for actor: Identity) async throws -> (projects: [Project], summaries: [ProjectSummary]) {
        guard actor.isOfficeStaff, actor.canRead(region: region) else { throw ServiceError.notFound("region \(region)") }
        let projects = try await ProjectRepository(services.reads).list(under: region)
        let today = services.clock.moment.today
        let summaries = Dictionary(grouping: projects, by: \.regionCode).sorted { $0.key < $1.key }.map {
            ProjectSummary(regionCode: $0.key, projects: $0.value, today: today)
        }
        return (projects, summaries)
    }
}
