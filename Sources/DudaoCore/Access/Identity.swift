/// Who is acting, and what they may see and change. Every page, API route and command that
/// takes an id asks this type before reading or writing (SPEC §5: no role reads or writes
/// outside its scope, whatever id is put in a URL).
public struct Identity: Sendable, Hashable, Codable {
    public var userId: String
    public var username: String
    public var displayName: String
    public var role: Role
    /// The region subtree the user works in ("" = the nation). Principals: their school's county.
    public var regionCode: String
    /// A principal's school.
    public var schoolCode: String?

    public init(userId: String, username: String, displayName: String, role: Role, regionCode: String, schoolCode: String? = nil) {
        self.userId = userId
        self.username = username
        self.displayName = displayName
        self.role = role
        self.regionCode = regionCode
        self.schoolCode = schoolCode
    }

    /// The command line acts as the system (audit actor "cli:<user>").
    public static func system(_ name: String) -> Identity {
        Identity(userId: "system", username: name, displayName: name, role: .admin, regionCode: "")
    }

    /// A role's scope must match its level: a county officer has a 6-digit code, a principal a school.
    public static func validate(role: Role, regionCode: String, schoolCode: String?) -> String? {
        if role == .principal {
            return schoolCode.map(School.isValidCode) == true ? nil : "a principal needs --school with a 10-digit school code"
        }
        if schoolCode != nil { return "only principals are tied to a school" }
        guard let level = role.scopeLevel else { return nil }
        return RegionCode.level(of: regionCode) == level
            ? nil
            : "role \(role.rawValue) needs a \(level.rawValue) region code (\(level == .nation ? "none" : level == .province ? "2 digits" : level == .city ? "4 digits" : "6 digits"))"
    }

    /// May see a region's pages and data (the region lies in the user's subtree).
    public func canRead(region code: String) -> Bool {
        role != .principal && RegionCode.contains(regionCode, code)
    }

    /// Office staff (county level and above) and administrators: the audit log, draws, rounds.
    public var isOfficeStaff: Bool { role.officeLevel != nil || isAdmin }

    /// May list evaluation cases of the subtree (principals see none: their school's results
    /// reach them through public notices).
    public var canListEvaluationCases: Bool { role != .principal }

    /// May start a county's self-evaluation (自评): its own county office, or an administrator.
    public func canStartEvaluation(county: String) -> Bool { isAdmin || (role == .county && regionCode == county) }

    /// May score a county's sheets: its own office (self-evaluation) and the offices above it
    /// (review). Schools and inspectors do not score.
    public func canScoreSheets(region: String) -> Bool { isOfficeStaff && canRead(region: region) }

    /// May record visits (as the inspector linked to the account).
    public var canRecordVisits: Bool { role == .inspector }

    /// Who runs survey campaigns of a region and reads their results: its office and those above.
    public func canRunSurveys(region: String) -> Bool { isOfficeStaff && canRead(region: region) }

    /// May read a region's key targets, their tasks and ranking: offices of the region, above
    /// it, and below it (the units a target is broken down to see the whole published picture).
    public func canReadKeyTasks(region: String) -> Bool {
        isOfficeStaff && (canRead(region: region) || RegionCode.contains(region, regionCode))
    }

    /// May set a region's key targets, review progress reports and issue escalation letters,
    /// formal talks and accountability records: its office and those above.
    public func canSuperviseKeyTasks(region: String) -> Bool { isOfficeStaff && canRead(region: region) }

    /// May report progress on a task: the office of the owner unit's region, and those above.
    public func canReportProgress(on task: KeyTask) -> Bool { isOfficeStaff && canRead(region: task.regionCode) }

    /// May read a letter: the issuing office's branch and the recipient's.
    public func canRead(letter: EscalationLetter) -> Bool {
        isOfficeStaff && (canRead(region: letter.regionCode) || canRead(region: letter.unitRegion))
    }

    /// May record the reply to a letter: the recipient's office (or one above it).
    public func canReply(to letter: EscalationLetter) -> Bool { isOfficeStaff && canRead(region: letter.unitRegion) }

    /// May register complaints of a county: its office and those above, and the county's
    /// inspectors (the plate on the school gate gives their phone).
    public func canRegisterComplaints(region: String) -> Bool {
        (isOfficeStaff && canRead(region: region)) || (role == .inspector && regionCode == region)
    }

    /// May see a school.
    public func canRead(school: School) -> Bool {
        if role == .principal { return school.code == schoolCode }
        return RegionCode.contains(regionCode, school.countyCode)
    }

    /// May enter or import returns for a school (principals for their own, county-level and
    /// higher offices for schools in their subtree; inspectors only read).
    public func canEnterReturns(for school: School) -> Bool {
        switch role {
        case .principal: school.code == schoolCode
        case .inspector: false
        default: RegionCode.contains(regionCode, school.countyCode)
        }
    }

    /// The office level at which this user reviews (approves or returns), if any.
    public var reviewLevel: RegionLevel? { role.officeLevel }

    public var isAdmin: Bool { role == .admin }
}
