import Foundation
import Testing

@testable import DudaoCore

/// Shared helpers for the DudaoCore tests.

/// |a − b| ≤ tolerance.
func approx(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    abs(a - b) <= tolerance
}

/// Rounds to `places` decimals, the way a bulletin publishes a figure.
func rounded(_ x: Double, _ places: Int) -> Double {
    var p = 1.0
    for _ in 0..<places { p *= 10 }
    return (x * p).rounded() / p
}

func qualityProgramme() throws -> Programme {
    try #require(ProgrammeCatalog.programme(id: "quality-2017"))
}

func basicProgramme() throws -> Programme {
    try #require(ProgrammeCatalog.programme(id: "basic-2012"))
}

/// A return row; year 2024 unless told.
func makeRow(_ code: String, _ stage: Stage?, year: Int = 2024, _ values: [ReturnField: Double]) -> StageReturn {
    StageReturn(schoolCode: code, year: year, stage: stage, values: values)
}

/// A primary row of school 4110810001, 2024.
func makeRow(_ values: [ReturnField: Double]) -> StageReturn {
    makeRow("4110810001", .primary, values)
}

func makeSchool(_ code: String, _ name: String, _ type: SchoolType, county: String = "411081") -> School {
    School(code: code, name: name, countyCode: county, type: type)
}

/// 禹州市 (411081), the county of the hand-built test data.
let yuzhou = Region(code: "411081", name: "禹州市", level: .county, parentCode: "4110")

/// Whether the shipped data files (programmes, rules, regions) can be found through
/// `CoreResources`. Suites that read them are enabled only when they can: a missing file makes
/// DudaoCore call `fatalError`, which would abort the whole test run instead of failing one
/// test. `CoreResourcesTests` fails on its own when this is false.
let coreResourcesAvailable: Bool = {
    let fm = FileManager.default
    return ["programmes/indicators.json", "programmes/quality-2017.json", "rules/returns.json", "regions.tsv"]
        .allSatisfy { fm.fileExists(atPath: CoreResources.url($0).path) }
}()
