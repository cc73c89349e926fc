/// A unified diff of two texts, line by line (longest common subsequence; `context` unchanged lines around changes).
///
/// ```swift
/// let diff = LineDiff.unified(old: golden, new: current, oldName: "a/x.timeline", newName: "b/x.timeline")
/// ```
public enum LineDiff {
    /// The diff in unified format (`---`, `+++`, `@@ -a,b +c,d @@` hunks), or an empty string when the texts are equal.
    public static func unified(old: String, new: String, oldName: String, newName: String, context: Int = 3) -> String {
        if old == new { return "" }
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let edits = script(a, b)
        var out = "--- \(oldName)\n+++ \(newName)\n"
        var index = 0
        while index < edits.count {
            guard edits[index].kind != .same else {
                index += 1
                continue
            }
            // A hunk: from `context` lines before this change to `context` lines after the last change within reach.
            var end = index
            var lastChange = index
            while end < edits.count {
                if edits[end].kind != .same {
                    lastChange = end
                } else if end - lastChange > 2 * context {
                    break
                }
                end += 1
            }
            let start = max(0, index - context)
            let stop = min(edits.count, lastChange + context + 1)
            let slice = edits[start..<stop]
            let oldStart = slice.first { $0.kind != .insert }?.oldLine ?? (slice.first?.oldLine ?? 0)
            let newStart = slice.first { $0.kind != .delete }?.newLine ?? (slice.first?.newLine ?? 0)
            let oldCount = slice.filter { $0.kind != .insert }.count
            let newCount = slice.filter { $0.kind != .delete }.count
            out += "@@ -\(oldStart + 1),\(oldCount) +\(newStart + 1),\(newCount) @@\n"
            for edit in slice {
                switch edit.kind {
                case .same: out += " \(edit.text)\n"
                case .delete: out += "-\(edit.text)\n"
                case .insert: out += "+\(edit.text)\n"
                }
            }
            index = stop
        }
        return out
    }

    struct Edit {
        enum Kind { case same, delete, insert }
        var kind: Kind
        var text: String
        /// 0-based positions in the old and new texts at this edit.
        var oldLine: Int
        var newLine: Int
    }

    /// The edit script turning `a` into `b` (LCS by dynamic programming: fine for timelines of a few thousand lines).
    static func script(_ a: [String], _ b: [String]) -> [Edit] {
        let n = a.count
        let m = b.count
        var lcs = [Int](repeating: 0, count: (n + 1) * (m + 1))
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i * (m + 1) + j] =
                    a[i] == b[j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1 : max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1])
            }
        }
        var edits: [Edit] = []
        var i = 0
        var j = 0
        while i < n || j < m {
            if i < n && j < m && a[i] == b[j] {
                edits.append(Edit(kind: .same, text: a[i], oldLine: i, newLine: j))
                i += 1
                j += 1
            } else if j < m && (i == n || lcs[i * (m + 1) + j + 1] >= lcs[(i + 1) * (m + 1) + j]) {
                edits.append(Edit(kind: .insert, text: b[j], oldLine: i, newLine: j))
                j += 1
            } else {
                edits.append(Edit(kind: .delete, text: a[i], oldLine: i, newLine: j))
                i += 1
            }
        }
        return edits
    }
}
