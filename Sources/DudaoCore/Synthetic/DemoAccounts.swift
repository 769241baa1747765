/// One demo account per role (printed by `dudao demo` and `dudao serve --demo`).
public enum DemoAccounts {
    public struct Account: Sendable {
        public var username: String
        public var name: String
        public var role: Role
        public var region: String
        public var school: String?
    }

    public static let password = "dudao-demo"

    public static let all: [Account] = [
        Account(username: "admin", name: "系统管理员", role: .admin, region: ""),
        Account(username: "nation", name: "国家督导办", role: .national, region: ""),
        Account(username: "henan", name: "河南省督导办", role: .province, region: "41"),
        Account(username: "xuchang", name: "许昌市督导办", role: .city, region: "4110"),
        Account(username: "yuzhou", name: "禹州市督导办 王科长", role: .county, region: "411081"),
        Account(username: "changge", name: "长葛市督导办 李科长", role: .county, region: "411082"),
        Account(username: "inspector", name: "责任督学 张老师", role: .inspector, region: "411081"),
        Account(username: "principal", name: "禹州市实验第一小学 校长", role: .principal, region: "411081", school: "1411081001"),
    ]
}
