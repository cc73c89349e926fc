import Reporting
import Testing

@Suite struct LineDiffTests {
    @Test func equalTextsHaveNoDiff() {
        #expect(LineDiff.unified(old: "a\nb\n", new: "a\nb\n", oldName: "x", newName: "y") == "")
    }

    @Test func oneChangedLineGivesOneHunkWithContext() {
        let old = (1...10).map { "line \($0)" }.joined(separator: "\n")
        let new = old.replacingOccurrences(of: "line 5", with: "line five")
        let diff = LineDiff.unified(old: old, new: new, oldName: "golden", newName: "run")
        #expect(
            diff == """
                --- golden
                +++ run
                @@ -2,7 +2,7 @@
                 line 2
                 line 3
                 line 4
                +line five
                -line 5
                 line 6
                 line 7
                 line 8

                """)
    }

    @Test func distantChangesGiveSeparateHunksAndAppliedBackTheyRebuildTheNewText() {
        let old = (1...30).map { "l\($0)" }
        var new = old
        new[2] = "changed"
        new.insert("added", at: 25)
        new.remove(at: 10)
        let diff = LineDiff.unified(
            old: old.joined(separator: "\n"), new: new.joined(separator: "\n"), oldName: "a", newName: "b", context: 2)
        #expect(diff.components(separatedBy: "\n@@").count - 1 == 3)
        // Replaying the hunks' + and context lines in order yields exactly the new lines that appear in hunks.
        let added = diff.split(separator: "\n").filter { $0.hasPrefix("+") && !$0.hasPrefix("+++") }.map {
            String($0.dropFirst())
        }
        let removed = diff.split(separator: "\n").filter { $0.hasPrefix("-") && !$0.hasPrefix("---") }.map {
            String($0.dropFirst())
        }
        #expect(added == ["changed", "added"])
        #expect(removed == ["l3", "l11"])
    }
}
