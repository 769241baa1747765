import Testing

@testable import DudaoCore

/// SPEC §4.2: 自评 → 复核 → 督评 → 公示 (with an end date) → 认定, every step by its office,
/// sending back one step with a comment.
@Suite("EvaluationChain transitions")
struct EvaluationChainTests {
    let county = Identity(userId: "1", username: "yuzhou", displayName: "", role: .county, regionCode: "411081")
    let otherCounty = Identity(userId: "2", username: "changge", displayName: "", role: .county, regionCode: "411082")
    let city = Identity(userId: "3", username: "xuchang", displayName: "", role: .city, regionCode: "4110")
    let otherCity = Identity(userId: "4", username: "zhengzhou", displayName: "", role: .city, regionCode: "4101")
    let province = Identity(userId: "5", username: "henan", displayName: "", role: .province, regionCode: "41")
    let nation = Identity(userId: "6", username: "nation", displayName: "", role: .national, regionCode: "")
    let inspector = Identity(userId: "7", username: "i", displayName: "", role: .inspector, regionCode: "411081")
    let today = "2026-11-24"

    func apply(
        _ a: EvaluationAction, at step: EvaluationStep, by actor: Identity, ends: String? = nil
    ) throws(ReviewRefusal) -> (step: EvaluationStep, noticeEndsOn: String?) {
        try EvaluationChain.apply(a, at: step, county: "411081", noticeEndsOn: ends, by: actor, today: today)
    }

    func refusal(_ a: EvaluationAction, at step: EvaluationStep, by actor: Identity, ends: String? = nil) -> String? {
        do { _ = try apply(a, at: step, by: actor, ends: ends); return nil } catch { return error.code }
    }

    @Test func eachStepForwardsByItsOwnOffice() throws {
        #expect(try apply(.forward(comment: "", noticeEndsOn: nil), at: .selfEvaluation, by: county).step == .cityReview)
        #expect(try apply(.forward(comment: "", noticeEndsOn: nil), at: .cityReview, by: city).step == .provinceEvaluation)
        let published = try apply(.forward(comment: "", noticeEndsOn: "2026-12-08"), at: .provinceEvaluation, by: province)
        #expect(published.step == .publicNotice && published.noticeEndsOn == "2026-12-08")
        // Certification after the notice has ended (the end day itself still runs).
        #expect(refusal(.forward(comment: "", noticeEndsOn: nil), at: .publicNotice, by: nation, ends: "2026-11-24") == "notice_running")
        #expect(try apply(.forward(comment: "", noticeEndsOn: nil), at: .publicNotice, by: nation, ends: "2026-11-23").step == .certified)
        #expect(refusal(.forward(comment: "", noticeEndsOn: nil), at: .certified, by: nation) == "finished")
    }

    @Test func wrongOfficesAreRefused() {
        let forward = EvaluationAction.forward(comment: "", noticeEndsOn: "2026-12-31")
        for actor in [otherCounty, city, province, nation, inspector] { #expect(refusal(forward, at: .selfEvaluation, by: actor) == "not_allowed") }
        for actor in [county, otherCity, province, nation] { #expect(refusal(forward, at: .cityReview, by: actor) == "not_allowed") }
        for actor in [county, city, nation] { #expect(refusal(forward, at: .provinceEvaluation, by: actor) == "not_allowed") }
        for actor in [county, city, province] { #expect(refusal(forward, at: .publicNotice, by: actor, ends: "2026-01-01") == "not_allowed") }
    }

    @Test func publishingNeedsAFutureEndDate() {
        for ends in [nil, "", "2026-11-24", "2026-11-01", "24/12/2026", "2026-1-5"] as [String?] {
            #expect(
                refusal(.forward(comment: "", noticeEndsOn: ends), at: .provinceEvaluation, by: province) == "notice_end_required", "\(ends ?? "nil")"
            )
        }
    }

    @Test func sendingBackGoesOneStepWithAComment() throws {
        #expect(try apply(.sendBack(comment: "补充材料"), at: .cityReview, by: city).step == .selfEvaluation)
        #expect(try apply(.sendBack(comment: "补充材料"), at: .provinceEvaluation, by: province).step == .cityReview)
        // Withdrawing a notice clears its end date.
        let withdrawn = try apply(.sendBack(comment: "撤回公示"), at: .publicNotice, by: nation, ends: "2026-12-08")
        #expect(withdrawn.step == .provinceEvaluation && withdrawn.noticeEndsOn == nil)
        #expect(refusal(.sendBack(comment: "  "), at: .cityReview, by: city) == "comment_required")
        #expect(refusal(.sendBack(comment: "x"), at: .selfEvaluation, by: county) == "cannot_return")
        #expect(refusal(.sendBack(comment: "x"), at: .certified, by: nation) == "cannot_return")
    }

    @Test func actingOffices() {
        #expect(EvaluationChain.actingOffice(for: .selfEvaluation, county: "411081") == "411081")
        #expect(EvaluationChain.actingOffice(for: .cityReview, county: "411081") == "4110")
        #expect(EvaluationChain.actingOffice(for: .provinceEvaluation, county: "411081") == "41")
        #expect(EvaluationChain.actingOffice(for: .publicNotice, county: "411081") == "")
        #expect(EvaluationStep.allCases.filter(\.isPublic) == [.publicNotice, .certified])
    }
}
