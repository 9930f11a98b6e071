import FuzzSupport
import VitalsStack
import VitalsStackFile

/// Stack files: any bytes load or fail with positioned errors, within the YAML limits, never a
/// trap or a hang (libFuzzer's -timeout reports one).
FuzzDriver.run { bytes in
    do {
        _ = try StackLoader.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.yaml")
    } catch let error as StackFileErrors {
        for problem in error.errors where problem.message.isEmpty {
            fatalError("an error without a message at \(problem.line):\(problem.column)")
        }
    } catch {
        fatalError("an error of an unexpected type: \(error)")
    }
}
