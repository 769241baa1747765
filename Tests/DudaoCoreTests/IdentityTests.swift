import Testing

@testable import DudaoCore

// SPEC §5: every role works in its scope and no role reads or writes outside it.

private func user(_ role: Role, _ region: String, school: String? = nil) -> Identity {
    Identity(
        userId: "u-\(role.rawValue)", username: role.rawValue, displayName: role.zh, role: role,
        regionCode: region, schoolCode: school)
}

private func school(_ code: String, county: String) -> School {
    School(code: code, name: "学校\(code)", countyCode: county, type: .primarySchool)
}

// Schools: A, B in 禹州市 411081; C in 长葛市 411082 (city 4110); D in 410102 (city 4101);
// E in 420102 (another province).
private let schA = school("4110810001", county: "411081")
private let schB = school("4110810002", county: "411081")
private let schC = school("4110820001", county: "411082")
private let schD = school("4101020001", county: "410102")
private let schE = school("4201020001", county: "420102")
private let allSchools = [schA, schB, schC, schD, schE]

private let admin = user(.admin, "")
private let national = user(.national, "")
private let province41 = user(.province, "41")
private let city4110 = user(.city, "4110")
private let county81 = user(.county, "411081")
private let inspector81 = user(.inspector, "411081")
private let principalA = user(.principal, "411081", school: "4110810001")

@Suite("Identity.validate")
struct IdentityValidateTests {
    @Test func nationalAndAdminNeedTheEmptyCode() {
        #expect(Identity.validate(role: .national, regionCode: "", schoolCode: nil) == nil)
        #expect(Identity.validate(role: .admin, regionCode: "", schoolCode: nil) == nil)
        for code in ["41", "4110", "411081", "x"] {
            #expect(
                Identity.validate(role: .national, regionCode: code, schoolCode: nil)
                    == "role national needs a nation region code (none)")
            #expect(
                Identity.validate(role: .admin, regionCode: code, schoolCode: nil)
                    == "role admin needs a nation region code (none)")
        }
    }

    @Test func provinceNeedsTwoDigits() {
        #expect(Identity.validate(role: .province, regionCode: "41", schoolCode: nil) == nil)
        for code in ["", "4", "4110", "411081", "4a", "410", "410000"] {
            #expect(
                Identity.validate(role: .province, regionCode: code, schoolCode: nil)
                    == "role province needs a province region code (2 digits)", "code \(code)")
        }
    }

    @Test func cityNeedsFourDigits() {
        #expect(Identity.validate(role: .city, regionCode: "4110", schoolCode: nil) == nil)
        for code in ["", "41", "411", "411081", "41a0", "４１１０"] {
            #expect(
                Identity.validate(role: .city, regionCode: code, schoolCode: nil)
                    == "role city needs a city region code (4 digits)", "code \(code)")
        }
    }

    @Test func countyNeedsSixDigits() {
        #expect(Identity.validate(role: .county, regionCode: "411081", schoolCode: nil) == nil)
        for code in ["", "41", "4110", "41108", "4110810", "41108a", "4110810001"] {
            #expect(
                Identity.validate(role: .county, regionCode: code, schoolCode: nil)
                    == "role county needs a county region code (6 digits)", "code \(code)")
        }
    }

    @Test func inspectorNeedsSixDigits() {
        #expect(Identity.validate(role: .inspector, regionCode: "411081", schoolCode: nil) == nil)
        for code in ["", "41", "4110", "41108"] {
            #expect(
                Identity.validate(role: .inspector, regionCode: code, schoolCode: nil)
                    == "role inspector needs a county region code (6 digits)", "code \(code)")
        }
    }

    @Test func principalNeedsATenDigitSchool() {
        #expect(Identity.validate(role: .principal, regionCode: "411081", schoolCode: "4110810001") == nil)
        for bad in [nil, "", "411081000", "41108100011", "411081000A", "4110 81000", "４１１０８１０００１"] as [String?] {
            #expect(
                Identity.validate(role: .principal, regionCode: "411081", schoolCode: bad)
                    == "a principal needs --school with a 10-digit school code", "school \(bad ?? "nil")")
        }
    }

    @Test(arguments: [
        (Role.admin, ""), (.national, ""), (.province, "41"), (.city, "4110"), (.county, "411081"), (.inspector, "411081"),
    ])
    func onlyPrincipalsHaveASchool(role: Role, region: String) {
        #expect(Identity.validate(role: role, regionCode: region, schoolCode: nil) == nil)
        #expect(Identity.validate(role: role, regionCode: region, schoolCode: "4110810001") == "only principals are tied to a school")
        #expect(Identity.validate(role: role, regionCode: region, schoolCode: "") == "only principals are tied to a school")
    }

    @Test func systemIdentityIsAValidAdmin() {
        let s = Identity.system("ops")
        #expect(s.role == .admin)
        #expect(s.regionCode == "")
        #expect(s.schoolCode == nil)
        #expect(s.username == "ops")
        #expect(s.isAdmin)
        #expect(Identity.validate(role: s.role, regionCode: s.regionCode, schoolCode: s.schoolCode) == nil)
    }
}

@Suite("Identity.canRead(region:)")
struct IdentityRegionScopeTests {
    @Test func countyOfficerReadsOnlyOwnCounty() {
        #expect(county81.canRead(region: "411081"))
        for code in ["411082", "410102", "4110", "41", "", "42", "420102"] {
            #expect(!county81.canRead(region: code), "county 411081 must not read \(code)")
        }
    }

    @Test func inspectorReadsOwnCounty() {
        #expect(inspector81.canRead(region: "411081"))
        for code in ["411082", "4110", "41", ""] {
            #expect(!inspector81.canRead(region: code), "inspector must not read \(code)")
        }
    }

    @Test func cityReadsItselfAndCountiesBeneath() {
        for code in ["4110", "411081", "411082"] {
            #expect(city4110.canRead(region: code), "city 4110 reads \(code)")
        }
        for code in ["4101", "410102", "41", "", "42", "4210", "421081"] {
            #expect(!city4110.canRead(region: code), "city 4110 must not read \(code)")
        }
    }

    @Test func provinceReadsItsCitiesAndCounties() {
        for code in ["41", "4110", "4101", "411081", "411082", "410102"] {
            #expect(province41.canRead(region: code), "province 41 reads \(code)")
        }
        for code in ["", "42", "4201", "420102", "14", "1441"] {
            #expect(!province41.canRead(region: code), "province 41 must not read \(code)")
        }
    }

    @Test func nationalAndAdminReadEverything() {
        for code in ["", "41", "42", "4110", "4201", "411081", "650102"] {
            #expect(national.canRead(region: code), "national reads \(code)")
            #expect(admin.canRead(region: code), "admin reads \(code)")
        }
    }

    @Test func principalReadsNoRegion() {
        for code in ["411081", "4110", "41", "", "411082"] {
            #expect(!principalA.canRead(region: code), "principal must not read \(code)")
        }
    }
}

@Suite("Identity: schools")
struct IdentitySchoolScopeTests {
    /// Who reads which of A, B, C, D, E.
    @Test(arguments: [
        ("principal", principalA, [true, false, false, false, false]),
        ("inspector", inspector81, [true, true, false, false, false]),
        ("county", county81, [true, true, false, false, false]),
        ("city", city4110, [true, true, true, false, false]),
        ("province", province41, [true, true, true, true, false]),
        ("national", national, [true, true, true, true, true]),
        ("admin", admin, [true, true, true, true, true]),
    ])
    func canReadSchool(label: String, who: Identity, expected: [Bool]) {
        #expect(allSchools.map { who.canRead(school: $0) } == expected, "\(label)")
    }

    /// Who may enter returns for A, B, C, D, E: inspectors only read; principals only their
    /// own school; offices their subtree; the administrator (the command line acts as one
    /// when importing) everywhere.
    @Test(arguments: [
        ("principal", principalA, [true, false, false, false, false]),
        ("inspector", inspector81, [false, false, false, false, false]),
        ("county", county81, [true, true, false, false, false]),
        ("city", city4110, [true, true, true, false, false]),
        ("province", province41, [true, true, true, true, false]),
        ("national", national, [true, true, true, true, true]),
        ("admin", admin, [true, true, true, true, true]),
    ])
    func canEnterReturns(label: String, who: Identity, expected: [Bool]) {
        #expect(allSchools.map { who.canEnterReturns(for: $0) } == expected, "\(label)")
    }

    @Test func principalIsBoundBySchoolNotRegion() {
        // A principal whose recorded region is the whole province still reads only their school.
        let wide = user(.principal, "41", school: "4110820001")
        #expect(allSchools.map { wide.canRead(school: $0) } == [false, false, true, false, false])
        #expect(allSchools.map { wide.canEnterReturns(for: $0) } == [false, false, true, false, false])
    }

    @Test func principalWithoutSchoolReadsNothing() {
        let none = user(.principal, "411081")
        #expect(allSchools.allSatisfy { !none.canRead(school: $0) })
        #expect(allSchools.allSatisfy { !none.canEnterReturns(for: $0) })
    }
}

@Suite("Role levels")
struct RoleLevelTests {
    @Test func officeLevels() {
        #expect(Role.national.officeLevel == .nation)
        #expect(Role.province.officeLevel == .province)
        #expect(Role.city.officeLevel == .city)
        #expect(Role.county.officeLevel == .county)
        #expect(Role.admin.officeLevel == nil)
        #expect(Role.inspector.officeLevel == nil)
        #expect(Role.principal.officeLevel == nil)
    }

    @Test func scopeLevels() {
        #expect(Role.admin.scopeLevel == .nation)
        #expect(Role.national.scopeLevel == .nation)
        #expect(Role.province.scopeLevel == .province)
        #expect(Role.city.scopeLevel == .city)
        #expect(Role.county.scopeLevel == .county)
        #expect(Role.inspector.scopeLevel == .county)
        #expect(Role.principal.scopeLevel == nil)
    }

    @Test func reviewLevelAndAdmin() {
        #expect(county81.reviewLevel == .county)
        #expect(city4110.reviewLevel == .city)
        #expect(province41.reviewLevel == .province)
        #expect(national.reviewLevel == .nation)
        #expect(inspector81.reviewLevel == nil)
        #expect(principalA.reviewLevel == nil)
        #expect(admin.reviewLevel == nil)
        #expect(admin.isAdmin)
        for other in [national, province41, city4110, county81, inspector81, principalA] {
            #expect(!other.isAdmin)
        }
    }
}
