import Testing

@testable import DudaoCore

/// SPEC §3.1: X̄ = Σ X_i·P_i / P, S = √(Σ P_i·(X_i − X̄)² / P), CV = S / X̄.
@Suite("Coefficient of variation (差异系数)")
struct CoefficientOfVariationTests {

    /// The published worked example: five schools with 45, 37, 89, 76 and 55 students
    /// (P = 302) and 1,913 books; X̄ = 6.33, Σ (P_i/P)(X_i − X̄)² = 10.65, CV = 0.52.
    ///
    /// The source does not list each school's books, so these counts were found with python
    /// (random search for integer counts summing to 1,913 whose weighted variance rounds to 10.65):
    ///   books    = 552, 287, 319, 274, 481            (Σ = 1,913)
    ///   X_i      = 12.2667, 7.7568, 3.5843, 3.6053, 8.7455
    ///   X̄        = 1913 / 302 = 6.334437086…           → 6.33
    ///   variance = Σ (P_i/302)(X_i − X̄)² = 10.653638… → 10.65
    ///   S        = √10.653638 = 3.263991…
    ///   CV       = 3.263991 / 6.334437 = 0.515277…     → 0.52
    @Test func publishedBooksExample() throws {
        let students: [Double] = [45, 37, 89, 76, 55]
        let books: [Double] = [552, 287, 319, 274, 481]
        #expect(books.reduce(0, +) == 1913)
        #expect(students.reduce(0, +) == 302)
        let perStudent = zip(books, students).map { $0 / $1 }

        let d = try CoefficientOfVariation.compute(values: perStudent, weights: students)

        #expect(rounded(d.mean, 2) == 6.33)
        #expect(approx(d.mean, 1913.0 / 302.0))  // the county's per-student value
        #expect(rounded(d.standardDeviation * d.standardDeviation, 2) == 10.65)
        #expect(rounded(d.cv, 2) == 0.52)
        #expect(approx(d.mean, 6.334437086092715, 1e-12))
        #expect(approx(d.standardDeviation, 3.2639911819330725, 1e-12))
        #expect(approx(d.cv, 0.5152772278848865, 1e-12))
        #expect(d.schools == 5)
    }

    /// Hand computation, weights (students) 1 and 4, values 2 and 7:
    ///   X̄ = (1·2 + 4·7) / 5 = 30 / 5 = 6
    ///   S² = (1·(2−6)² + 4·(7−6)²) / 5 = (16 + 4) / 5 = 4   → S = 2
    ///   CV = 2 / 6 = 1/3
    @Test func weightedHandComputed() throws {
        let d = try CoefficientOfVariation.compute(values: [2, 7], weights: [1, 4])
        #expect(approx(d.mean, 6))
        #expect(approx(d.standardDeviation, 2))
        #expect(approx(d.cv, 1.0 / 3.0))
        #expect(d.schools == 2)
    }

    /// The population form divides by P, not P − 1: weights 1,1 values 2,6 give
    ///   X̄ = 4, S² = (4 + 4) / 2 = 4 → S = 2 (the sample form would give √(8/1) = 2.83).
    @Test func populationFormDividesByP() throws {
        let d = try CoefficientOfVariation.compute(values: [2, 6], weights: [1, 1])
        #expect(approx(d.standardDeviation, 2))
        #expect(approx(d.cv, 0.5))
    }

    /// Same data, unweighted (every school counts once):
    ///   X̄ = (2 + 7) / 2 = 4.5
    ///   S² = ((2−4.5)² + (7−4.5)²) / 2 = (6.25 + 6.25) / 2 = 6.25 → S = 2.5
    ///   CV = 2.5 / 4.5 = 5/9 = 0.5556  (weighted: 1/3)
    @Test func unweightedDiffersAndMatchesHand() throws {
        let weighted = try CoefficientOfVariation.compute(values: [2, 7], weights: [1, 4], weighting: .students)
        let plain = try CoefficientOfVariation.compute(values: [2, 7], weights: [1, 4], weighting: .unweighted)
        #expect(approx(plain.mean, 4.5))
        #expect(approx(plain.standardDeviation, 2.5))
        #expect(approx(plain.cv, 5.0 / 9.0))
        #expect(!approx(plain.cv, weighted.cv, 1e-3))
    }

    /// Unweighted form of the published example (python):
    ///   mean 7.19168216, S² 10.87296237, CV 0.45850435
    @Test func unweightedPublishedExample() throws {
        let students: [Double] = [45, 37, 89, 76, 55]
        let books: [Double] = [552, 287, 319, 274, 481]
        let perStudent = zip(books, students).map { $0 / $1 }
        let d = try CoefficientOfVariation.compute(values: perStudent, weights: students, weighting: .unweighted)
        #expect(approx(d.mean, 7.1916821579388115, 1e-12))
        #expect(approx(d.standardDeviation * d.standardDeviation, 10.872962370269716, 1e-9))
        #expect(approx(d.cv, 0.45850434683530583, 1e-12))
    }

    /// A school with 0 students takes no part: adding (value 100, 0 students) to the
    /// hand-computed case changes nothing, in either weighting.
    @Test(arguments: [Programme.CVWeighting.students, .unweighted])
    func zeroStudentSchoolsSkipped(weighting: Programme.CVWeighting) throws {
        let base = try CoefficientOfVariation.compute(values: [2, 7], weights: [1, 4], weighting: weighting)
        let withEmpty = try CoefficientOfVariation.compute(values: [2, 100, 7], weights: [1, 0, 4], weighting: weighting)
        #expect(withEmpty.schools == 2)
        #expect(approx(withEmpty.mean, base.mean))
        #expect(approx(withEmpty.cv, base.cv))
    }

    /// One school: S = 0, CV = 0 (SPEC: "a county with one school of a stage has CV 0").
    @Test func singleSchoolHasZeroCV() throws {
        let d = try CoefficientOfVariation.compute(values: [5.5], weights: [321])
        #expect(d.mean == 5.5)
        #expect(d.standardDeviation == 0)
        #expect(d.cv == 0)
        #expect(d.schools == 1)
    }

    /// Identical per-student values: CV exactly 0.
    @Test func identicalValuesHaveZeroCV() throws {
        let d = try CoefficientOfVariation.compute(values: [3, 3, 3], weights: [10, 200, 45])
        #expect(approx(d.cv, 0))
    }

    /// X̄ = 0 is an error reported, never a NaN.
    @Test func allZeroValuesThrowZeroMean() {
        #expect(throws: EvaluationError.zeroMean) {
            try CoefficientOfVariation.compute(values: [0, 0, 0], weights: [10, 20, 30])
        }
        #expect(throws: EvaluationError.zeroMean) {
            try CoefficientOfVariation.compute(values: [0, 0], weights: [10, 20], weighting: .unweighted)
        }
    }

    @Test func noSchoolsThrowsNoParticipants() {
        #expect(throws: EvaluationError.noParticipants) {
            try CoefficientOfVariation.compute(values: [], weights: [])
        }
        // Schools that all have 0 students are no participants either.
        #expect(throws: EvaluationError.noParticipants) {
            try CoefficientOfVariation.compute(values: [4, 5], weights: [0, 0])
        }
    }

    @Test func errorCodesAndMessages() {
        #expect(EvaluationError.zeroMean.code == "zero_mean")
        #expect(EvaluationError.noParticipants.code == "no_participants")
        #expect(EvaluationError.zeroMean.message(.zh).contains("均值为0"))
        #expect(EvaluationError.noParticipants.message(.zh) == "无参评学校")
        #expect(EvaluationError.noParticipants.message(.en) == "no participating schools")
    }
}
