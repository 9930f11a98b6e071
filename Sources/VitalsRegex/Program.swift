/// A compiled ``GoRegex``: instructions for a Pike VM (Thompson's construction, run breadth-first).
///
/// Every thread advances over the text in lockstep, one byte at a time, and a state is kept at
/// most once per position, so a match costs O(text × program) whatever the pattern.
struct Program: Sendable {
    enum Assertion: Sendable {
        case beginText, endText, beginLine, endLine, wordBoundary, notWordBoundary
    }

    enum Instruction: Sendable {
        /// Consumes one byte in the set.
        case byte(GoRegex.ByteSet)
        /// Consumes the continuation bytes of a UTF-8 sequence whose lead byte was just consumed.
        case continuation
        /// Goes on at both targets.
        case split(Int, Int)
        case jump(Int)
        case assertion(Assertion)
        case match
    }

    /// Programs larger than this are refused, as RE2 refuses `(a{1000}){1000}`.
    static let maxInstructions = 100_000

    struct TooLarge: Error {}

    private(set) var instructions: [Instruction] = []

    init(_ root: GoRegex.Node) throws(TooLarge) {
        try emit(root)
        instructions.append(.match)
    }

    private mutating func append(_ instruction: Instruction) throws(TooLarge) -> Int {
        guard instructions.count < Self.maxInstructions else { throw TooLarge() }
        instructions.append(instruction)
        return instructions.count - 1
    }

    private mutating func emit(_ node: GoRegex.Node) throws(TooLarge) {
        switch node {
        case .empty:
            break
        case .byteSet(let set, let rune):
            _ = try append(.byte(set))
            if rune { _ = try append(.continuation) }
        case .beginText: _ = try append(.assertion(.beginText))
        case .endText: _ = try append(.assertion(.endText))
        case .beginLine: _ = try append(.assertion(.beginLine))
        case .endLine: _ = try append(.assertion(.endLine))
        case .wordBoundary(let negated): _ = try append(.assertion(negated ? .notWordBoundary : .wordBoundary))
        case .concat(let nodes):
            for node in nodes { try emit(node) }
        case .alternate(let options):
            var jumpsToEnd: [Int] = []
            for (index, option) in options.enumerated() {
                if index == options.count - 1 {
                    try emit(option)
                } else {
                    let split = try append(.split(0, 0))
                    try emit(option)
                    jumpsToEnd.append(try append(.jump(0)))
                    instructions[split] = .split(split + 1, instructions.count)
                }
            }
            for jump in jumpsToEnd { instructions[jump] = .jump(instructions.count) }
        case .repeated(let inner, let minimum, let maximum, _):
            for _ in 0..<minimum { try emit(inner) }
            if let maximum {
                // x{n,m}: m−n optional copies, each skipping to the end.
                var splits: [Int] = []
                for _ in minimum..<maximum {
                    splits.append(try append(.split(0, 0)))
                    try emit(inner)
                }
                for split in splits { instructions[split] = .split(split + 1, instructions.count) }
            } else {
                // x*: loop; the VM's per-position state set stops empty iterations from cycling.
                let split = try append(.split(0, 0))
                try emit(inner)
                _ = try append(.jump(split))
                instructions[split] = .split(split + 1, instructions.count)
            }
        }
    }

    /// Runs the program over `bytes`: with `search`, a match may start anywhere (unless the
    /// pattern is anchored at the start) and end anywhere; without, it must span all the bytes.
    func run(_ bytes: UnsafeBufferPointer<UInt8>, search: Bool, anchoredStart: Bool) -> Bool {
        var runner = Runner(program: instructions, bytes: bytes)
        return runner.run(search: search, anchoredStart: anchoredStart)
    }
}

/// The Pike VM's state for one run.
private struct Runner {
    let program: [Program.Instruction]
    let bytes: UnsafeBufferPointer<UInt8>
    /// Per instruction, the position at which it was last added; a state is added once per position.
    var addedAt: [Int]
    var current: [Int] = []
    var next: [Int] = []
    var stack: [Int] = []

    init(program: [Program.Instruction], bytes: UnsafeBufferPointer<UInt8>) {
        self.program = program
        self.bytes = bytes
        addedAt = Array(repeating: -1, count: program.count)
    }

    mutating func run(search: Bool, anchoredStart: Bool) -> Bool {
        isSearch = search
        for position in 0...bytes.count {
            if position == 0 || (search && !anchoredStart) {
                if add(0, at: position, toNext: false) { return true }
            }
            if current.isEmpty, !(search && !anchoredStart) { return false }
            if position == bytes.count { break }
            let byte = bytes[position]
            next.removeAll(keepingCapacity: true)
            for index in current.indices {
                let pc = current[index]
                switch program[pc] {
                case .byte(let set) where set.contains(byte):
                    if add(pc + 1, at: position + 1, toNext: true) { return true }
                case .continuation where byte & 0xC0 == 0x80:
                    if add(pc, at: position + 1, toNext: true) { return true }
                default:
                    continue
                }
            }
            swap(&current, &next)
        }
        return false
    }

    /// Adds `pc` and everything reachable from it without consuming input to the current or the
    /// next list; returns true when a match state is reached where one counts (anywhere in a
    /// search, only at the end otherwise).
    private mutating func add(_ pc: Int, at position: Int, toNext: Bool) -> Bool {
        stack.append(pc)
        while let pc = stack.popLast() {
            guard addedAt[pc] != position else { continue }
            addedAt[pc] = position
            switch program[pc] {
            case .jump(let target):
                stack.append(target)
            case .split(let first, let second):
                stack.append(second)
                stack.append(first)
            case .assertion(let assertion):
                if holds(assertion, at: position) { stack.append(pc + 1) }
            case .continuation:
                if position < bytes.count, bytes[position] & 0xC0 == 0x80 {
                    if toNext { next.append(pc) } else { current.append(pc) }
                } else {
                    stack.append(pc + 1)
                }
            case .byte:
                if toNext { next.append(pc) } else { current.append(pc) }
            case .match:
                if searchMatchCounts(at: position) {
                    stack.removeAll(keepingCapacity: true)
                    return true
                }
            }
        }
        return false
    }

    private var isSearch = true

    private func searchMatchCounts(at position: Int) -> Bool {
        isSearch || position == bytes.count
    }

    private func holds(_ assertion: Program.Assertion, at position: Int) -> Bool {
        switch assertion {
        case .beginText: return position == 0
        case .endText: return position == bytes.count
        case .beginLine: return position == 0 || bytes[position - 1] == 0x0A
        case .endLine: return position == bytes.count || bytes[position] == 0x0A
        case .wordBoundary, .notWordBoundary:
            let before = position > 0 && GoRegex.ByteSet.word.contains(bytes[position - 1])
            let after = position < bytes.count && GoRegex.ByteSet.word.contains(bytes[position])
            return (before != after) == (assertion == .wordBoundary)
        }
    }
}
