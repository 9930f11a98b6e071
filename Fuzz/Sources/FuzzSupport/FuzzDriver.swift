/// Hands each input libFuzzer generates to one body, in a target that is an ordinary executable.
///
/// SwiftPM renames an executable's `main`, so libFuzzer's own `main` cannot be used; the target
/// calls ``FuzzDriver/run(_:)`` from its top-level code, which starts libFuzzer's driver.
public enum FuzzDriver {
    nonisolated(unsafe) static var body: (UnsafeBufferPointer<UInt8>) -> Void = { _ in }

    /// Runs libFuzzer with the process's arguments and `body` as the function under test.
    public static func run(_ body: @escaping (UnsafeBufferPointer<UInt8>) -> Void) -> Never {
        Self.body = body
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzDriver.body(UnsafeBufferPointer(start: data, count: size))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

@_silgen_name("exit")
func exit(_ status: Int32) -> Never
