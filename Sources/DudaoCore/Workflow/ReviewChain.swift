/// 数据填报与多级审核 (SPEC §4.1), modelled on DHIS2 data approval: the unit is (round,
/// school or region). A school submits; the county approves when every school of the round in
/// it has submitted; the city when every county below it has approved; the province likewise.
/// Approval locks entry below it. A higher level returns (unapproves) the level below with a
/// mandatory comment, which unlocks it there.
public enum SubmissionState: String, Labelled {
    case notStarted = "not_started", draft, submitted, returned

    public var zh: String {
        switch self {
        case .notStarted: "未开始"
        case .draft: "填报中"
        case .submitted: "已上报"
        case .returned: "已退回"
        }
    }

    public var en: String {
        switch self {
        case .notStarted: "not started"
        case .draft: "draft"
        case .submitted: "submitted"
        case .returned: "returned"
        }
    }

    /// The school (or county staff for it) may still enter data.
    public var isOpenForEntry: Bool { self != .submitted }
}

/// What the chain knows about one round at one moment.
public struct RoundSnapshot: Sendable, Hashable {
    /// The region of the office that opened the round: the top of its chain.
    public var regionCode: String
    /// School code → state; every school the round covers.
    public var schools: [String: SubmissionState]
    /// School code → county code.
    public var counties: [String: String]
    /// Region codes whose level has approved.
    public var approved: Set<String>

    public init(regionCode: String, schools: [String: SubmissionState], counties: [String: String], approved: Set<String>) {
        self.regionCode = regionCode
        self.schools = schools
        self.counties = counties
        self.approved = approved
    }

    /// Counties, cities and provinces the round reaches, up to its own region.
    public var reviewUnits: Set<String> {
        var units = Set<String>()
        for county in counties.values {
            for code in [county] + RegionCode.ancestors(of: county) where RegionCode.contains(regionCode, code) { units.insert(code) }
        }
        return units
    }

    /// A unit with nobody above it within the round (the opening office's region, or the
    /// provinces of a national round).
    public func isTop(_ unit: String) -> Bool {
        guard let parent = RegionCode.ancestors(of: unit).first else { return true }
        return !reviewUnits.contains(parent)
    }

    /// Direct children of a review unit: schools for a county, regions for a city or province.
    public func children(of region: String) -> [String] {
        if RegionCode.level(of: region) == .county {
            return counties.filter { $0.value == region }.map(\.key).sorted()
        }
        return reviewUnits.filter { RegionCode.ancestors(of: $0).first == region }.sorted()
    }

    /// The approved unit that locks this school, if any (its county or any level above).
    public func lockingApproval(school: String) -> String? {
        guard let county = counties[school] else { return nil }
        return ([county] + RegionCode.ancestors(of: county)).first { approved.contains($0) }
    }

    /// The county's own data (county facts) is locked by the same approvals as its schools':
    /// the county's or any level above it.
    public func lockingApproval(county: String) -> String? {
        ([county] + RegionCode.ancestors(of: county)).first { approved.contains($0) }
    }

    /// May the school's returns be edited now?
    public func isEditable(school: String) -> Bool {
        (schools[school]?.isOpenForEntry ?? true) && lockingApproval(school: school) == nil
    }
}

public enum ReviewAction: Sendable, Hashable {
    case submit(school: String)
    case approve(region: String)
    case returnSchool(school: String, comment: String)
    case returnRegion(region: String, comment: String)
}

/// Why a review step is refused, with a message for people.
public struct ReviewRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: String
    public var zh: String
    public var en: String
    public var description: String { "\(en) / \(zh)" }

    public func message(_ language: Language) -> String { language == .zh ? zh : en }

    public init(code: String, zh: String, en: String) {
        self.code = code
        self.zh = zh
        self.en = en
    }

    static func make(_ code: String, _ zh: String, _ en: String) -> ReviewRefusal { ReviewRefusal(code: code, zh: zh, en: en) }
}

public enum ReviewChain {
    /// Applies `action` by `actor`, or explains why not. Pure: returns the next snapshot.
    public static func apply(
        _ action: ReviewAction, by actor: Identity, to s: RoundSnapshot, schoolHasData: Bool = true
    )
        throws(ReviewRefusal) -> RoundSnapshot
    {
        var next = s
        switch action {
        case .submit(let school):
            guard let state = s.schools[school], let county = s.counties[school] else {
                throw .make("unknown_unit", "该学校不在本轮填报范围内", "the school is not in this round")
            }
            guard
                actor.role == .principal
                    ? actor.schoolCode == school
                    : (actor.role == .county || actor.isAdmin) && RegionCode.contains(actor.regionCode, county)
            else {
                throw .make("not_allowed", "只有本校或县级督导办可以上报", "only the school or its county office may submit")
            }
            if let lock = s.lockingApproval(school: school) {
                throw .make("locked", "\(lock) 已审核通过，数据已锁定", "\(lock) has approved; the data is locked")
            }
            guard state != .submitted else { throw .make("already_submitted", "已上报", "already submitted") }
            guard schoolHasData else { throw .make("no_data", "尚未填报数据，不能上报", "nothing entered yet; cannot submit") }
            next.schools[school] = .submitted

        case .approve(let region):
            guard s.reviewUnits.contains(region), let level = RegionCode.level(of: region) else {
                throw .make("unknown_unit", "该地区不在本轮审核范围内", "the region is not in this round")
            }
            guard actor.role.officeLevel == level && actor.regionCode == region || actor.isAdmin else {
                throw .make("not_allowed", "只有\(region)本级督导办可以审核", "only the office of \(region) may approve it")
            }
            guard !s.approved.contains(region) else { throw .make("already_approved", "已审核通过", "already approved") }
            if let parent = RegionCode.ancestors(of: region).first, s.approved.contains(parent) {
                throw .make("locked", "上级已审核通过", "the level above has approved")
            }
            let pending =
                level == .county
                ? s.children(of: region).filter { s.schools[$0] != .submitted }
                : s.children(of: region).filter { !s.approved.contains($0) }
            guard pending.isEmpty else {
                throw .make(
                    "children_pending", "下级尚未全部上报或审核：\(pending.prefix(5).joined(separator: "、"))\(pending.count > 5 ? " 等\(pending.count)个" : "")",
                    "\(pending.count) unit(s) below have not submitted or been approved: \(pending.prefix(5).joined(separator: ", "))")
            }
            next.approved.insert(region)

        case .returnSchool(let school, let comment):
            guard let county = s.counties[school] else { throw .make("unknown_unit", "该学校不在本轮填报范围内", "the school is not in this round") }
            guard actor.role == .county && actor.regionCode == county || actor.isAdmin else {
                throw .make("not_allowed", "只有县级督导办可以退回学校", "only the county office may return a school")
            }
            try requireComment(comment)
            guard s.schools[school] == .submitted else { throw .make("not_submitted", "该校尚未上报", "the school has not submitted") }
            guard s.lockingApproval(school: school) == nil else {
                throw .make("locked", "县级已审核通过，请先由上级退回", "the county has approved; the level above must return it first")
            }
            next.schools[school] = .returned

        case .returnRegion(let region, let comment):
            // The round's top has nobody above it within the round.
            guard s.reviewUnits.contains(region), let parent = RegionCode.ancestors(of: region).first, s.reviewUnits.contains(parent) else {
                throw .make("unknown_unit", "该地区不在本轮审核范围内", "the region is not in this round")
            }
            guard actor.role.officeLevel == RegionCode.level(of: parent) && actor.regionCode == parent || actor.isAdmin else {
                throw .make("not_allowed", "只有上一级督导办可以退回", "only the office one level up may return it")
            }
            try requireComment(comment)
            guard s.approved.contains(region) else { throw .make("not_approved", "该地区尚未审核通过", "the region has not approved") }
            if s.approved.contains(parent) {
                // Below the top, the level above must first be returned itself. The top has
                // nobody to do that, so its approval goes with the return (an approval stands
                // only while everything below it is approved).
                guard s.isTop(parent) else {
                    throw .make("locked", "本级已审核通过，请先由上级退回", "this level has approved; the level above must return it first")
                }
                next.approved.remove(parent)
            }
            next.approved.remove(region)
        }
        return next
    }

    static func requireComment(_ comment: String) throws(ReviewRefusal) {
        guard !comment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .make("comment_required", "退回必须填写意见", "returning needs a comment")
        }
    }
}
