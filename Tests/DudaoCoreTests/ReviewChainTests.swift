import Testing

@testable import DudaoCore

// 数据填报与多级审核 (SPEC §4.1): school submitted → county → city → province, approval
// locks entry below it, a higher level returns the level below with a comment.
//
// The hand-built round: province 41 opened it; it covers
//   city 4110 ─ county 411081 (schools A, B) and county 411082 (school C)
//   city 4101 ─ county 410102 (school D)

private let schoolA = "4110810001"
private let schoolB = "4110810002"
private let schoolC = "4110820001"
private let schoolD = "4101020001"

private func person(_ role: Role, _ region: String, school: String? = nil) -> Identity {
    let name = "\(role.rawValue)-\(region)\(school.map { "-\($0)" } ?? "")"
    return Identity(userId: name, username: name, displayName: name, role: role, regionCode: region, schoolCode: school)
}

private let county81 = person(.county, "411081")
private let county82 = person(.county, "411082")
private let county0102 = person(.county, "410102")
private let city4110 = person(.city, "4110")
private let city4101 = person(.city, "4101")
private let province41 = person(.province, "41")
private let principalA = person(.principal, "411081", school: schoolA)
private let principalC = person(.principal, "411082", school: schoolC)
private let principalD = person(.principal, "410102", school: schoolD)
private let inspector81 = person(.inspector, "411081")
private let admin = person(.admin, "")
private let national = person(.national, "")
private let province42 = person(.province, "42")
private let city4102 = person(.city, "4102")

private let countiesOfRound: [String: String] = [
    schoolA: "411081", schoolB: "411081", schoolC: "411082", schoolD: "410102",
]

/// The round with each school's state written out in the order A, B, C, D.
private func round(
    _ a: SubmissionState, _ b: SubmissionState, _ c: SubmissionState, _ d: SubmissionState,
    approved: Set<String> = []
) -> RoundSnapshot {
    RoundSnapshot(
        regionCode: "41",
        schools: [schoolA: a, schoolB: b, schoolC: c, schoolD: d],
        counties: countiesOfRound,
        approved: approved)
}

/// A freshly opened round: nothing entered, nothing approved.
private let fresh = round(.notStarted, .notStarted, .notStarted, .notStarted)
/// Every school submitted, nothing approved.
private let allSubmitted = round(.submitted, .submitted, .submitted, .submitted)
/// Both counties of 4110 approved, 4110 itself not.
private let countiesOf4110Approved = round(.submitted, .submitted, .submitted, .submitted, approved: ["411081", "411082"])
/// City 4110 approved with its counties; 4101's branch untouched.
private let city4110Approved = round(.submitted, .submitted, .submitted, .submitted, approved: ["411081", "411082", "4110"])
/// Everything below the province approved, the province not.
private let bothCitiesApproved = round(
    .submitted, .submitted, .submitted, .submitted,
    approved: ["411081", "411082", "410102", "4110", "4101"])
/// Everything approved, the province included.
private let provinceApproved = round(
    .submitted, .submitted, .submitted, .submitted,
    approved: ["411081", "411082", "410102", "4110", "4101", "41"])

/// The refusal `apply` throws, or nil when it succeeds.
private func refusal(
    _ action: ReviewAction, by actor: Identity, to s: RoundSnapshot, schoolHasData: Bool = true
) -> ReviewRefusal? {
    do {
        _ = try ReviewChain.apply(action, by: actor, to: s, schoolHasData: schoolHasData)
        return nil
    } catch {
        return error
    }
}

/// Expects `action` to be refused with exactly `code`.
private func expectRefused(
    _ code: String, _ action: ReviewAction, by actor: Identity, to s: RoundSnapshot, schoolHasData: Bool = true,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let r = refusal(action, by: actor, to: s, schoolHasData: schoolHasData)
    #expect(r?.code == code, "expected \(code), got \(r.map { $0.code } ?? "success")", sourceLocation: sourceLocation)
}

// MARK: - The round's shape

@Suite("ReviewChain: round shape")
struct RoundShapeTests {
    @Test func reviewUnitsReachUpToTheRoundsRegion() {
        #expect(fresh.reviewUnits == ["411081", "411082", "410102", "4110", "4101", "41"])
    }

    @Test func reviewUnitsOfACityRoundStopAtTheCity() {
        let cityRound = RoundSnapshot(
            regionCode: "4110", schools: [schoolA: .notStarted, schoolC: .notStarted],
            counties: [schoolA: "411081", schoolC: "411082"], approved: [])
        #expect(cityRound.reviewUnits == ["411081", "411082", "4110"])
    }

    @Test func childrenOfEachLevel() {
        #expect(fresh.children(of: "411081") == [schoolA, schoolB])
        #expect(fresh.children(of: "411082") == [schoolC])
        #expect(fresh.children(of: "410102") == [schoolD])
        #expect(fresh.children(of: "4110") == ["411081", "411082"])
        #expect(fresh.children(of: "4101") == ["410102"])
        #expect(fresh.children(of: "41") == ["4101", "4110"])
        #expect(fresh.children(of: "42") == [])
    }

    @Test func submissionStateOpenForEntry() {
        #expect(SubmissionState.notStarted.isOpenForEntry)
        #expect(SubmissionState.draft.isOpenForEntry)
        #expect(SubmissionState.returned.isOpenForEntry)
        #expect(!SubmissionState.submitted.isOpenForEntry)
    }
}

// MARK: - Submit

@Suite("ReviewChain: submit")
struct SubmitTests {
    @Test func principalSubmitsOwnSchool() throws {
        let next = try ReviewChain.apply(.submit(school: schoolA), by: principalA, to: fresh)
        #expect(next == round(.submitted, .notStarted, .notStarted, .notStarted))
    }

    @Test func principalSubmitsOwnSchoolFromDraft() throws {
        let start = round(.draft, .draft, .notStarted, .notStarted)
        let next = try ReviewChain.apply(.submit(school: schoolA), by: principalA, to: start)
        #expect(next == round(.submitted, .draft, .notStarted, .notStarted))
    }

    @Test func principalOfAnotherSchoolIsRefused() {
        expectRefused("not_allowed", .submit(school: schoolB), by: principalA, to: fresh)
        expectRefused("not_allowed", .submit(school: schoolC), by: principalA, to: fresh)
        expectRefused("not_allowed", .submit(school: schoolA), by: principalC, to: fresh)
    }

    @Test func principalWithoutSchoolIsRefused() {
        let noSchool = person(.principal, "411081")
        expectRefused("not_allowed", .submit(school: schoolA), by: noSchool, to: fresh)
    }

    @Test func countyOfficerSubmitsForASchoolInTheirCounty() throws {
        let next = try ReviewChain.apply(.submit(school: schoolB), by: county81, to: fresh)
        #expect(next == round(.notStarted, .submitted, .notStarted, .notStarted))
        let next2 = try ReviewChain.apply(.submit(school: schoolC), by: county82, to: next)
        #expect(next2 == round(.notStarted, .submitted, .submitted, .notStarted))
    }

    @Test func countyOfficerOfAnotherCountyIsRefused() {
        expectRefused("not_allowed", .submit(school: schoolA), by: county82, to: fresh)
        expectRefused("not_allowed", .submit(school: schoolC), by: county81, to: fresh)
        expectRefused("not_allowed", .submit(school: schoolD), by: county81, to: fresh)
    }

    @Test func inspectorIsRefused() {
        expectRefused("not_allowed", .submit(school: schoolA), by: inspector81, to: fresh)
        expectRefused("not_allowed", .submit(school: schoolB), by: inspector81, to: fresh)
    }

    /// Only the school or its county office submits (the refusal says so); higher offices review.
    @Test func higherOfficesDoNotSubmit() {
        expectRefused("not_allowed", .submit(school: schoolA), by: city4110, to: fresh)
        expectRefused("not_allowed", .submit(school: schoolA), by: province41, to: fresh)
        expectRefused("not_allowed", .submit(school: schoolA), by: national, to: fresh)
    }

    @Test func adminMaySubmit() throws {
        let next = try ReviewChain.apply(.submit(school: schoolD), by: admin, to: fresh)
        #expect(next == round(.notStarted, .notStarted, .notStarted, .submitted))
    }

    @Test func doubleSubmitIsRefused() {
        let start = round(.submitted, .notStarted, .notStarted, .notStarted)
        expectRefused("already_submitted", .submit(school: schoolA), by: principalA, to: start)
        expectRefused("already_submitted", .submit(school: schoolA), by: county81, to: start)
    }

    @Test func noDataIsRefused() {
        expectRefused("no_data", .submit(school: schoolA), by: principalA, to: fresh, schoolHasData: false)
        expectRefused(
            "no_data", .submit(school: schoolA), by: county81,
            to: round(.draft, .notStarted, .notStarted, .notStarted), schoolHasData: false)
    }

    @Test func lockedAfterCountyApproved() throws {
        let start = round(.submitted, .submitted, .notStarted, .notStarted, approved: ["411081"])
        expectRefused("locked", .submit(school: schoolA), by: principalA, to: start)
        expectRefused("locked", .submit(school: schoolB), by: county81, to: start)
        let r = try #require(refusal(.submit(school: schoolA), by: principalA, to: start))
        #expect(r.en == "411081 has approved; the data is locked")
        #expect(r.zh == "411081 已审核通过，数据已锁定")
    }

    @Test func lockedByTheNearestApprovalAbove() throws {
        // Locks from the city or the province name the nearest approved level.
        let r1 = try #require(refusal(.submit(school: schoolA), by: principalA, to: city4110Approved))
        #expect(r1.code == "locked")
        #expect(r1.en == "411081 has approved; the data is locked")
        // Hand-built (not reachable through the chain): only the city's approval is recorded.
        let onlyCity = round(.draft, .notStarted, .notStarted, .notStarted, approved: ["4110"])
        let r2 = try #require(refusal(.submit(school: schoolA), by: principalA, to: onlyCity))
        #expect(r2.code == "locked")
        #expect(r2.en == "4110 has approved; the data is locked")
        let onlyProvince = round(.draft, .notStarted, .notStarted, .notStarted, approved: ["41"])
        let r3 = try #require(refusal(.submit(school: schoolA), by: principalA, to: onlyProvince))
        #expect(r3.code == "locked")
        #expect(r3.en == "41 has approved; the data is locked")
    }

    @Test func approvalOfAnotherCountyDoesNotLock() throws {
        let start = round(.notStarted, .notStarted, .submitted, .notStarted, approved: ["411082"])
        let next = try ReviewChain.apply(.submit(school: schoolA), by: principalA, to: start)
        #expect(next == round(.submitted, .notStarted, .submitted, .notStarted, approved: ["411082"]))
    }

    @Test func unknownSchoolIsRefused() {
        expectRefused("unknown_unit", .submit(school: "4110810099"), by: county81, to: fresh)
        expectRefused("unknown_unit", .submit(school: "4201020001"), by: admin, to: fresh)
        let principalElsewhere = person(.principal, "411081", school: "4110810099")
        expectRefused("unknown_unit", .submit(school: "4110810099"), by: principalElsewhere, to: fresh)
    }

    @Test func returnedSchoolCanSubmitAgain() throws {
        let start = round(.returned, .submitted, .notStarted, .notStarted)
        let next = try ReviewChain.apply(.submit(school: schoolA), by: principalA, to: start)
        #expect(next == round(.submitted, .submitted, .notStarted, .notStarted))
        let byCounty = try ReviewChain.apply(.submit(school: schoolA), by: county81, to: start)
        #expect(byCounty == round(.submitted, .submitted, .notStarted, .notStarted))
    }
}

// MARK: - Approve a county

@Suite("ReviewChain: approve county")
struct ApproveCountyTests {
    @Test func countyApprovesWhenEverySchoolSubmitted() throws {
        let start = round(.submitted, .submitted, .notStarted, .notStarted)
        let next = try ReviewChain.apply(.approve(region: "411081"), by: county81, to: start)
        #expect(next == round(.submitted, .submitted, .notStarted, .notStarted, approved: ["411081"]))
    }

    @Test func singleSchoolCounty() throws {
        let start = round(.notStarted, .notStarted, .submitted, .notStarted)
        let next = try ReviewChain.apply(.approve(region: "411082"), by: county82, to: start)
        #expect(next == round(.notStarted, .notStarted, .submitted, .notStarted, approved: ["411082"]))
    }

    @Test func pendingSchoolsAreListed() throws {
        let start = round(.submitted, .draft, .submitted, .submitted)
        let r = try #require(refusal(.approve(region: "411081"), by: county81, to: start))
        #expect(r.code == "children_pending")
        #expect(r.en == "1 unit(s) below have not submitted or been approved: 4110810002")
        #expect(r.zh == "下级尚未全部上报或审核：4110810002")
    }

    @Test func bothPendingSchoolsAreListed() throws {
        let r = try #require(refusal(.approve(region: "411081"), by: county81, to: fresh))
        #expect(r.code == "children_pending")
        #expect(r.en == "2 unit(s) below have not submitted or been approved: 4110810001, 4110810002")
        #expect(r.zh == "下级尚未全部上报或审核：4110810001、4110810002")
    }

    @Test(arguments: [SubmissionState.notStarted, .draft, .returned])
    func everyUnsubmittedStateIsPending(state: SubmissionState) throws {
        let start = round(.submitted, state, .submitted, .submitted)
        let r = try #require(refusal(.approve(region: "411081"), by: county81, to: start))
        #expect(r.code == "children_pending")
        #expect(r.en.hasSuffix(": 4110810002"))
    }

    @Test func longPendingListIsCut() throws {
        let codes = (1...7).map { "411081000\($0)" }
        let s = RoundSnapshot(
            regionCode: "41",
            schools: Dictionary(uniqueKeysWithValues: codes.map { ($0, SubmissionState.draft) }),
            counties: Dictionary(uniqueKeysWithValues: codes.map { ($0, "411081") }),
            approved: [])
        let r = try #require(refusal(.approve(region: "411081"), by: county81, to: s))
        #expect(r.code == "children_pending")
        #expect(r.zh == "下级尚未全部上报或审核：4110810001、4110810002、4110810003、4110810004、4110810005 等7个")
        #expect(
            r.en == "7 unit(s) below have not submitted or been approved: "
                + "4110810001, 4110810002, 4110810003, 4110810004, 4110810005")
    }

    @Test func wrongOfficeOrRoleIsRefused() {
        let start = round(.submitted, .submitted, .notStarted, .notStarted)
        for actor in [county82, county0102, city4110, province41, national, principalA, inspector81] {
            expectRefused("not_allowed", .approve(region: "411081"), by: actor, to: start)
        }
    }

    @Test func wrongOfficeIsRefusedBeforePendingChildren() {
        expectRefused("not_allowed", .approve(region: "411081"), by: county82, to: fresh)
    }

    @Test func adminMayApprove() throws {
        let start = round(.submitted, .submitted, .notStarted, .notStarted)
        let next = try ReviewChain.apply(.approve(region: "411081"), by: admin, to: start)
        #expect(next == round(.submitted, .submitted, .notStarted, .notStarted, approved: ["411081"]))
    }

    @Test func approvingTwiceIsRefused() {
        let start = round(.submitted, .submitted, .notStarted, .notStarted, approved: ["411081"])
        expectRefused("already_approved", .approve(region: "411081"), by: county81, to: start)
    }

    /// Through the chain, a county below an approved city is itself approved, so a second
    /// approval reads "already approved".
    @Test func afterCityApprovedTheCountyIsAlreadyApproved() {
        expectRefused("already_approved", .approve(region: "411081"), by: county81, to: city4110Approved)
    }

    /// The lock check itself: the city's approval recorded, the county's not (hand-built).
    @Test func lockedWhenTheCityHasApproved() throws {
        let start = round(.submitted, .submitted, .submitted, .notStarted, approved: ["411082", "4110"])
        let r = try #require(refusal(.approve(region: "411081"), by: county81, to: start))
        #expect(r.code == "locked")
        #expect(r.en == "the level above has approved")
    }

    @Test func unknownRegionIsRefused() {
        let start = allSubmitted
        expectRefused("unknown_unit", .approve(region: "411083"), by: person(.county, "411083"), to: start)
        expectRefused("unknown_unit", .approve(region: "420102"), by: person(.county, "420102"), to: start)
        expectRefused("unknown_unit", .approve(region: "411083"), by: admin, to: start)
        expectRefused("unknown_unit", .approve(region: ""), by: national, to: start)
        expectRefused("unknown_unit", .approve(region: "41108"), by: admin, to: start)
        expectRefused("unknown_unit", .approve(region: schoolA), by: admin, to: start)
    }
}

// MARK: - Approve a city and the province

@Suite("ReviewChain: approve city and province")
struct ApproveUpperLevelsTests {
    @Test func cityWaitsForAllItsCounties() throws {
        let start = round(.submitted, .submitted, .submitted, .notStarted, approved: ["411081"])
        let r = try #require(refusal(.approve(region: "4110"), by: city4110, to: start))
        #expect(r.code == "children_pending")
        #expect(r.en == "1 unit(s) below have not submitted or been approved: 411082")
        #expect(r.zh == "下级尚未全部上报或审核：411082")
    }

    @Test func cityWithNoCountyApprovedListsBoth() throws {
        let r = try #require(refusal(.approve(region: "4110"), by: city4110, to: allSubmitted))
        #expect(r.code == "children_pending")
        #expect(r.en == "2 unit(s) below have not submitted or been approved: 411081, 411082")
    }

    @Test func cityApprovesWhenAllCountiesApproved() throws {
        let next = try ReviewChain.apply(.approve(region: "4110"), by: city4110, to: countiesOf4110Approved)
        #expect(next == round(.submitted, .submitted, .submitted, .submitted, approved: ["411081", "411082", "4110"]))
    }

    @Test func otherCityApprovesItsSingleCounty() throws {
        let start = round(.notStarted, .notStarted, .notStarted, .submitted, approved: ["410102"])
        let next = try ReviewChain.apply(.approve(region: "4101"), by: city4101, to: start)
        #expect(next == round(.notStarted, .notStarted, .notStarted, .submitted, approved: ["410102", "4101"]))
    }

    @Test func wrongOfficeForCityIsRefused() {
        for actor in [city4101, county81, county82, province41, national, principalA, inspector81] {
            expectRefused("not_allowed", .approve(region: "4110"), by: actor, to: countiesOf4110Approved)
        }
    }

    @Test func provinceWaitsForBothCities() throws {
        let r = try #require(refusal(.approve(region: "41"), by: province41, to: city4110Approved))
        #expect(r.code == "children_pending")
        #expect(r.en == "1 unit(s) below have not submitted or been approved: 4101")
        let onlyCounties = round(.submitted, .submitted, .submitted, .submitted, approved: ["411081", "411082", "410102"])
        let r2 = try #require(refusal(.approve(region: "41"), by: province41, to: onlyCounties))
        #expect(r2.code == "children_pending")
        #expect(r2.en == "2 unit(s) below have not submitted or been approved: 4101, 4110")
    }

    @Test func provinceTopApprovesWhenBothCitiesApproved() throws {
        let next = try ReviewChain.apply(.approve(region: "41"), by: province41, to: bothCitiesApproved)
        #expect(next == provinceApproved)
    }

    @Test func wrongOfficeForProvinceIsRefused() {
        for actor in [province42, city4110, city4101, county81, national, principalA, inspector81] {
            expectRefused("not_allowed", .approve(region: "41"), by: actor, to: bothCitiesApproved)
        }
    }

    @Test func provinceApprovingTwiceIsRefused() {
        expectRefused("already_approved", .approve(region: "41"), by: province41, to: provinceApproved)
    }

    @Test func cityApprovingTwiceIsRefused() {
        expectRefused("already_approved", .approve(region: "4110"), by: city4110, to: city4110Approved)
        expectRefused("already_approved", .approve(region: "4110"), by: city4110, to: provinceApproved)
    }

    /// Hand-built: the province's approval recorded, the city's not.
    @Test func cityLockedWhenProvinceApproved() {
        let start = round(.submitted, .submitted, .submitted, .submitted, approved: ["411081", "411082", "410102", "4101", "41"])
        expectRefused("locked", .approve(region: "4110"), by: city4110, to: start)
    }

    @Test func regionsOutsideTheRoundAreUnknown() {
        expectRefused("unknown_unit", .approve(region: "42"), by: province42, to: bothCitiesApproved)
        expectRefused("unknown_unit", .approve(region: "4102"), by: city4102, to: bothCitiesApproved)
        expectRefused("unknown_unit", .approve(region: "42"), by: admin, to: bothCitiesApproved)
        expectRefused("unknown_unit", .approve(region: "4102"), by: admin, to: bothCitiesApproved)
    }

    /// A city-level round ends at the city: the province above it is not part of the chain.
    @Test func cityRoundHasNoProvinceStep() throws {
        let cityRound = RoundSnapshot(
            regionCode: "4110", schools: [schoolA: .submitted, schoolC: .submitted],
            counties: [schoolA: "411081", schoolC: "411082"], approved: ["411081", "411082"])
        let next = try ReviewChain.apply(.approve(region: "4110"), by: city4110, to: cityRound)
        #expect(next.approved == ["411081", "411082", "4110"])
        expectRefused("unknown_unit", .approve(region: "41"), by: province41, to: next)
    }
}

// MARK: - Return a school

@Suite("ReviewChain: return a school")
struct ReturnSchoolTests {
    @Test func countyReturnsASubmittedSchool() throws {
        let start = round(.submitted, .submitted, .submitted, .notStarted)
        let next = try ReviewChain.apply(.returnSchool(school: schoolA, comment: "学生数有误"), by: county81, to: start)
        #expect(next == round(.returned, .submitted, .submitted, .notStarted))
    }

    @Test func adminMayReturnASchool() throws {
        let start = round(.notStarted, .notStarted, .submitted, .notStarted)
        let next = try ReviewChain.apply(.returnSchool(school: schoolC, comment: "fix"), by: admin, to: start)
        #expect(next == round(.notStarted, .notStarted, .returned, .notStarted))
    }

    @Test(arguments: ["", " ", "  \n\t ", "\u{3000}"])
    func commentIsRequired(comment: String) {
        let start = round(.submitted, .submitted, .notStarted, .notStarted)
        expectRefused("comment_required", .returnSchool(school: schoolA, comment: comment), by: county81, to: start)
    }

    @Test(arguments: [SubmissionState.notStarted, .draft, .returned])
    func notSubmittedIsRefused(state: SubmissionState) {
        let start = round(state, .submitted, .notStarted, .notStarted)
        expectRefused("not_submitted", .returnSchool(school: schoolA, comment: "请核对"), by: county81, to: start)
    }

    @Test func lockedAfterCountyApproved() throws {
        let start = round(.submitted, .submitted, .notStarted, .notStarted, approved: ["411081"])
        let r = try #require(refusal(.returnSchool(school: schoolA, comment: "请核对"), by: county81, to: start))
        #expect(r.code == "locked")
        #expect(r.en == "the county has approved; the level above must return it first")
        expectRefused("locked", .returnSchool(school: schoolA, comment: "请核对"), by: county81, to: city4110Approved)
        expectRefused("locked", .returnSchool(school: schoolD, comment: "请核对"), by: county0102, to: provinceApproved)
    }

    @Test func wrongCountyOrRoleIsRefused() {
        let start = round(.submitted, .submitted, .submitted, .submitted)
        for actor in [county82, county0102, city4110, province41, national, principalA, inspector81] {
            expectRefused("not_allowed", .returnSchool(school: schoolA, comment: "请核对"), by: actor, to: start)
        }
    }

    @Test func unknownSchoolIsRefused() {
        expectRefused("unknown_unit", .returnSchool(school: "4110810099", comment: "x"), by: county81, to: allSubmitted)
    }
}

// MARK: - Return a region

@Suite("ReviewChain: return a region")
struct ReturnRegionTests {
    @Test func cityReturnsItsCountyWhichCanThenReturnASchool() throws {
        let start = round(.submitted, .submitted, .notStarted, .notStarted, approved: ["411081"])
        let returned = try ReviewChain.apply(.returnRegion(region: "411081", comment: "请复核B校"), by: city4110, to: start)
        // The county is no longer approved; its schools stay submitted.
        #expect(returned == round(.submitted, .submitted, .notStarted, .notStarted))
        #expect(!returned.isEditable(school: schoolA))
        #expect(returned.lockingApproval(school: schoolA) == nil)
        let schoolReturned = try ReviewChain.apply(.returnSchool(school: schoolB, comment: "数据有误"), by: county81, to: returned)
        #expect(schoolReturned == round(.submitted, .returned, .notStarted, .notStarted))
        #expect(schoolReturned.isEditable(school: schoolB))
    }

    @Test func returningOneCountyLeavesTheOtherApproved() throws {
        let next = try ReviewChain.apply(.returnRegion(region: "411082", comment: "请复核"), by: city4110, to: countiesOf4110Approved)
        #expect(next == round(.submitted, .submitted, .submitted, .submitted, approved: ["411081"]))
    }

    @Test(arguments: ["", "   ", "\n"])
    func commentIsRequired(comment: String) {
        expectRefused("comment_required", .returnRegion(region: "411081", comment: comment), by: city4110, to: countiesOf4110Approved)
        expectRefused("comment_required", .returnRegion(region: "4110", comment: comment), by: province41, to: city4110Approved)
    }

    @Test func notApprovedIsRefused() {
        let start = round(.submitted, .submitted, .submitted, .notStarted, approved: ["411081"])
        expectRefused("not_approved", .returnRegion(region: "411082", comment: "请复核"), by: city4110, to: start)
        expectRefused("not_approved", .returnRegion(region: "4110", comment: "请复核"), by: province41, to: start)
    }

    @Test func lockedWhenTheParentHasApproved() throws {
        let r = try #require(refusal(.returnRegion(region: "411081", comment: "请复核"), by: city4110, to: city4110Approved))
        #expect(r.code == "locked")
        #expect(r.en == "this level has approved; the level above must return it first")
        expectRefused("locked", .returnRegion(region: "410102", comment: "请复核"), by: city4101, to: provinceApproved)
        expectRefused("locked", .returnRegion(region: "411082", comment: "请复核"), by: city4110, to: provinceApproved)
    }

    /// The round's top (province 41) has nobody above it to return it first, so once it has
    /// approved it must still be able to return a city (SPEC §4.1: each level can approve or
    /// return). Its own approval goes with it: an approval stands only while everything below
    /// it is approved. Otherwise the province's approval would freeze the round for good.
    @Test func topReturnsACityAfterItHasApproved() throws {
        let next = try ReviewChain.apply(.returnRegion(region: "4110", comment: "请复核"), by: province41, to: provinceApproved)
        #expect(next == round(.submitted, .submitted, .submitted, .submitted, approved: ["411081", "411082", "410102", "4101"]))
        #expect(next.lockingApproval(school: schoolA) == "411081")
        #expect(next.lockingApproval(school: schoolD) == "410102")
    }

    @Test func wrongOfficeIsRefused() {
        let start = countiesOf4110Approved
        for actor in [city4101, county81, county82, province41, national, principalA, inspector81] {
            expectRefused("not_allowed", .returnRegion(region: "411081", comment: "请复核"), by: actor, to: start)
        }
        for actor in [province42, city4110, city4101, county81, national, principalA, inspector81] {
            expectRefused("not_allowed", .returnRegion(region: "4110", comment: "请复核"), by: actor, to: city4110Approved)
        }
    }

    @Test func provinceReturnsACity() throws {
        let next = try ReviewChain.apply(.returnRegion(region: "4110", comment: "请复核"), by: province41, to: bothCitiesApproved)
        #expect(next == round(.submitted, .submitted, .submitted, .submitted, approved: ["411081", "411082", "410102", "4101"]))
        // The city, now unapproved, can return its county.
        let next2 = try ReviewChain.apply(.returnRegion(region: "411081", comment: "请复核"), by: city4110, to: next)
        #expect(next2 == round(.submitted, .submitted, .submitted, .submitted, approved: ["411082", "410102", "4101"]))
    }

    @Test func adminMayReturnARegion() throws {
        let next = try ReviewChain.apply(.returnRegion(region: "4101", comment: "复核"), by: admin, to: bothCitiesApproved)
        #expect(next == round(.submitted, .submitted, .submitted, .submitted, approved: ["411081", "411082", "410102", "4110"]))
    }

    @Test func unknownRegionsAreRefused() {
        expectRefused("unknown_unit", .returnRegion(region: "42", comment: "x"), by: national, to: provinceApproved)
        expectRefused("unknown_unit", .returnRegion(region: "4102", comment: "x"), by: province41, to: provinceApproved)
        expectRefused("unknown_unit", .returnRegion(region: "411083", comment: "x"), by: city4110, to: provinceApproved)
        // The round's own top has nobody above it within the round.
        expectRefused("unknown_unit", .returnRegion(region: "41", comment: "x"), by: national, to: provinceApproved)
        expectRefused("unknown_unit", .returnRegion(region: "41", comment: "x"), by: admin, to: provinceApproved)
    }

    /// A round opened by city 4110 ends at 4110, exactly as a province round ends at its
    /// province (whose return is `unknown_unit`, above). The province office is not part of
    /// this chain and must not unapprove its top. (RoundRepository.concerns lets a province
    /// office open a city round below it, so this is reachable from the web pages.)
    @Test func cityRoundTopCannotBeReturnedFromOutsideTheRound() {
        let cityRound = RoundSnapshot(
            regionCode: "4110", schools: [schoolA: .submitted, schoolC: .submitted],
            counties: [schoolA: "411081", schoolC: "411082"], approved: ["411081", "411082", "4110"])
        expectRefused("unknown_unit", .returnRegion(region: "4110", comment: "请复核"), by: province41, to: cityRound)
    }

    /// A national round (opened with the empty code) ends at the provinces: the nation does
    /// not review. A province that has approved is then the top of its branch and must still
    /// be able to return one of its cities.
    @Test func nationalRoundProvinceReturnsACityAfterApproving() throws {
        let nationalRound = RoundSnapshot(
            regionCode: "", schools: [schoolA: .submitted, schoolD: .submitted],
            counties: [schoolA: "411081", schoolD: "410102"],
            approved: ["411081", "410102", "4110", "4101", "41"])
        #expect(nationalRound.reviewUnits == ["411081", "410102", "4110", "4101", "41"])
        let next = try ReviewChain.apply(.returnRegion(region: "4110", comment: "请复核"), by: province41, to: nationalRound)
        #expect(next.approved == ["411081", "410102", "4101"])
    }

    /// Inside a city round the city is the top: having approved, it returns a county itself,
    /// withdrawing its own approval.
    @Test func cityRoundTopReturnsItsCounty() throws {
        let cityRound = RoundSnapshot(
            regionCode: "4110", schools: [schoolA: .submitted, schoolC: .submitted],
            counties: [schoolA: "411081", schoolC: "411082"], approved: ["411081", "411082", "4110"])
        let next = try ReviewChain.apply(.returnRegion(region: "411081", comment: "请复核"), by: city4110, to: cityRound)
        #expect(
            next
                == RoundSnapshot(
                    regionCode: "4110", schools: [schoolA: .submitted, schoolC: .submitted],
                    counties: [schoolA: "411081", schoolC: "411082"], approved: ["411082"]))
    }
}

// MARK: - Editability and locks

@Suite("ReviewChain: isEditable and lockingApproval")
struct EditabilityTests {
    @Test func openStatesAreEditableWithoutApproval() {
        let s = round(.notStarted, .draft, .returned, .submitted)
        #expect(s.isEditable(school: schoolA))
        #expect(s.isEditable(school: schoolB))
        #expect(s.isEditable(school: schoolC))
        #expect(!s.isEditable(school: schoolD))
        for school in [schoolA, schoolB, schoolC, schoolD] {
            #expect(s.lockingApproval(school: school) == nil)
        }
    }

    @Test func countyApprovalLocksOnlyItsSchools() {
        let s = round(.submitted, .submitted, .draft, .returned, approved: ["411081"])
        #expect(!s.isEditable(school: schoolA))
        #expect(!s.isEditable(school: schoolB))
        #expect(s.isEditable(school: schoolC))
        #expect(s.isEditable(school: schoolD))
        #expect(s.lockingApproval(school: schoolA) == "411081")
        #expect(s.lockingApproval(school: schoolB) == "411081")
        #expect(s.lockingApproval(school: schoolC) == nil)
        #expect(s.lockingApproval(school: schoolD) == nil)
    }

    @Test func lockingApprovalNamesTheNearestApprovedLevel() {
        #expect(city4110Approved.lockingApproval(school: schoolA) == "411081")
        #expect(city4110Approved.lockingApproval(school: schoolC) == "411082")
        #expect(city4110Approved.lockingApproval(school: schoolD) == nil)
        #expect(provinceApproved.lockingApproval(school: schoolD) == "410102")
        // Hand-built: only a higher level's approval recorded.
        let onlyCity = round(.draft, .returned, .notStarted, .draft, approved: ["4110"])
        #expect(onlyCity.lockingApproval(school: schoolA) == "4110")
        #expect(onlyCity.lockingApproval(school: schoolC) == "4110")
        #expect(onlyCity.lockingApproval(school: schoolD) == nil)
        #expect(!onlyCity.isEditable(school: schoolA))
        #expect(!onlyCity.isEditable(school: schoolB))
        #expect(!onlyCity.isEditable(school: schoolC))
        #expect(onlyCity.isEditable(school: schoolD))
        let onlyProvince = round(.draft, .returned, .notStarted, .draft, approved: ["41"])
        for school in [schoolA, schoolB, schoolC, schoolD] {
            #expect(onlyProvince.lockingApproval(school: school) == "41")
            #expect(!onlyProvince.isEditable(school: school))
        }
        let cityAndProvince = round(.draft, .draft, .draft, .draft, approved: ["4110", "41"])
        #expect(cityAndProvince.lockingApproval(school: schoolA) == "4110")
        #expect(cityAndProvince.lockingApproval(school: schoolD) == "41")
    }

    @Test func everythingLockedWhenProvinceApproved() {
        for school in [schoolA, schoolB, schoolC, schoolD] {
            #expect(!provinceApproved.isEditable(school: school))
        }
    }

    @Test func unknownSchoolHasNoLock() {
        #expect(provinceApproved.lockingApproval(school: "4110810099") == nil)
    }
}

// MARK: - Full path and purity

@Suite("ReviewChain: happy path and purity")
struct ReviewChainFlowTests {
    @Test func fullRoundReturnAndReapprove() throws {
        var s = fresh
        s = try ReviewChain.apply(.submit(school: schoolA), by: principalA, to: s)
        s = try ReviewChain.apply(.submit(school: schoolB), by: county81, to: s)
        s = try ReviewChain.apply(.submit(school: schoolC), by: principalC, to: s)
        #expect(s == round(.submitted, .submitted, .submitted, .notStarted))

        s = try ReviewChain.apply(.approve(region: "411081"), by: county81, to: s)
        s = try ReviewChain.apply(.approve(region: "411082"), by: county82, to: s)
        #expect(s == round(.submitted, .submitted, .submitted, .notStarted, approved: ["411081", "411082"]))
        s = try ReviewChain.apply(.approve(region: "4110"), by: city4110, to: s)
        #expect(s == round(.submitted, .submitted, .submitted, .notStarted, approved: ["411081", "411082", "4110"]))

        // The province cannot close yet: 4101 is pending.
        expectRefused("children_pending", .approve(region: "41"), by: province41, to: s)

        s = try ReviewChain.apply(.submit(school: schoolD), by: principalD, to: s)
        s = try ReviewChain.apply(.approve(region: "410102"), by: county0102, to: s)
        s = try ReviewChain.apply(.approve(region: "4101"), by: city4101, to: s)
        #expect(s == round(.submitted, .submitted, .submitted, .submitted, approved: ["411081", "411082", "410102", "4110", "4101"]))
        s = try ReviewChain.apply(.approve(region: "41"), by: province41, to: s)
        #expect(
            s
                == round(
                    .submitted, .submitted, .submitted, .submitted,
                    approved: ["411081", "411082", "410102", "4110", "4101", "41"]))
        for school in [schoolA, schoolB, schoolC, schoolD] {
            #expect(!s.isEditable(school: school))
        }

        // Unwinding must go top-down.
        expectRefused("locked", .returnRegion(region: "411081", comment: "请复核"), by: city4110, to: s)
        s = try ReviewChain.apply(.returnRegion(region: "4110", comment: "许昌数据需复核"), by: province41, to: s)
        // The province's own approval is withdrawn with the city's.
        #expect(s == round(.submitted, .submitted, .submitted, .submitted, approved: ["411081", "411082", "410102", "4101"]))
        // Still locked for A: its county has approved.
        #expect(s.lockingApproval(school: schoolA) == "411081")
        expectRefused("locked", .returnSchool(school: schoolA, comment: "请核对"), by: county81, to: s)

        s = try ReviewChain.apply(.returnRegion(region: "411081", comment: "禹州市请复核"), by: city4110, to: s)
        #expect(s == round(.submitted, .submitted, .submitted, .submitted, approved: ["411082", "410102", "4101"]))
        #expect(s.lockingApproval(school: schoolA) == nil)
        #expect(!s.isEditable(school: schoolA))

        s = try ReviewChain.apply(.returnSchool(school: schoolA, comment: "学生数有误"), by: county81, to: s)
        #expect(s == round(.returned, .submitted, .submitted, .submitted, approved: ["411082", "410102", "4101"]))
        #expect(s.isEditable(school: schoolA))
        #expect(!s.isEditable(school: schoolB))
        expectRefused("children_pending", .approve(region: "411081"), by: county81, to: s)

        s = try ReviewChain.apply(.submit(school: schoolA), by: principalA, to: s)
        #expect(s == round(.submitted, .submitted, .submitted, .submitted, approved: ["411082", "410102", "4101"]))
        s = try ReviewChain.apply(.approve(region: "411081"), by: county81, to: s)
        s = try ReviewChain.apply(.approve(region: "4110"), by: city4110, to: s)
        #expect(s == bothCitiesApproved)
        s = try ReviewChain.apply(.approve(region: "41"), by: province41, to: s)
        #expect(s == provinceApproved)
    }

    /// Before the province has approved: province returns the city, the chain below
    /// re-approves and the province approves.
    @Test func provinceApprovesAfterReturningACity() throws {
        var s = bothCitiesApproved
        s = try ReviewChain.apply(.returnRegion(region: "4110", comment: "请复核"), by: province41, to: s)
        s = try ReviewChain.apply(.returnRegion(region: "411081", comment: "请复核"), by: city4110, to: s)
        s = try ReviewChain.apply(.returnSchool(school: schoolA, comment: "请复核"), by: county81, to: s)
        #expect(s == round(.returned, .submitted, .submitted, .submitted, approved: ["411082", "410102", "4101"]))
        s = try ReviewChain.apply(.submit(school: schoolA), by: principalA, to: s)
        s = try ReviewChain.apply(.approve(region: "411081"), by: county81, to: s)
        s = try ReviewChain.apply(.approve(region: "4110"), by: city4110, to: s)
        s = try ReviewChain.apply(.approve(region: "41"), by: province41, to: s)
        #expect(s == provinceApproved)
    }

    @Test func applyDoesNotChangeItsInput() throws {
        let input = round(.submitted, .submitted, .draft, .notStarted)
        let copy = round(.submitted, .submitted, .draft, .notStarted)
        _ = try ReviewChain.apply(.approve(region: "411081"), by: county81, to: input)
        _ = try ReviewChain.apply(.returnSchool(school: schoolA, comment: "x"), by: county81, to: input)
        _ = try ReviewChain.apply(.submit(school: schoolC), by: principalC, to: input)
        _ = refusal(.approve(region: "4110"), by: city4110, to: input)
        #expect(input == copy)

        let approvedInput = city4110Approved
        _ = try ReviewChain.apply(.returnRegion(region: "4110", comment: "x"), by: province41, to: approvedInput)
        #expect(approvedInput == round(.submitted, .submitted, .submitted, .submitted, approved: ["411081", "411082", "4110"]))
    }

    @Test func refusalChangesNothing() {
        var s = fresh
        let before = s
        do {
            s = try ReviewChain.apply(.submit(school: schoolB), by: principalA, to: s)
        } catch {
            #expect(error.code == "not_allowed")
        }
        #expect(s == before)
    }

    @Test func refusalDescriptionJoinsBothLanguages() throws {
        let r = try #require(refusal(.returnSchool(school: schoolA, comment: ""), by: county81, to: allSubmitted))
        #expect(r.code == "comment_required")
        #expect(r.description == "returning needs a comment / 退回必须填写意见")
    }
}
