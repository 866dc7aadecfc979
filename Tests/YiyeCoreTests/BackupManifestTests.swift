import Testing
import YiyeCore

@Suite("The SM3 manifest of a backup archive")
struct BackupManifestTests {
    let dump = BackupManifest.Entry(path: "database.pgdump", digest: SM3.hex("dump"), size: 4)
    let key = BackupManifest.Entry(path: "audit-sm2-key.pem", digest: SM3.hex("key"), size: 3)

    @Test("written and read back the same; the archive as listed passes")
    func roundTrip() throws {
        let manifest = BackupManifest(entries: [dump, key])
        #expect(manifest.text.hasPrefix("yiye-backup 1\n\(SM3.hex("key"))  3  audit-sm2-key.pem\n"))
        let read = try BackupManifest(text: manifest.text)
        #expect(read == manifest)
        #expect(throws: Never.self) { try read.check([key, dump]) }
    }

    @Test("a changed, cut, missing or added file is named; a manifest not ours, or leaving the archive, is refused")
    func refusals() throws {
        let manifest = BackupManifest(entries: [dump, key])
        var changed = dump
        changed.digest = SM3.hex("dumq")
        var cut = dump
        cut.size = 3
        let extra = BackupManifest.Entry(path: "evidence/aa/x", digest: SM3.hex("x"), size: 1)
        for (found, named) in [
            ([changed, key], "database.pgdump"), ([cut, key], "database.pgdump"), ([key], "缺失"), ([dump, key, extra], "evidence/aa/x"),
        ] {
            #expect {
                try manifest.check(found)
            } throws: { error in
                "\(error)".contains(named) && "\(error)".hasPrefix("备份文件不可用")
            }
        }
        for text in [
            "not-yiye 1\n", "yiye-backup 1\nabc  1  x\n", "yiye-backup 1\n\(SM3.hex("a"))  1  ../../etc/passwd\n",
            "yiye-backup 1\n\(SM3.hex("a"))  1  /etc/passwd\n", "yiye-backup 1\n\(SM3.hex("a"))  1  a\n\(SM3.hex("b"))  1  a\n",
        ] {
            #expect(throws: BackupError.self) { try BackupManifest(text: text) }
        }
    }
}
