import Dispatch
import Logging
import NIOSSL
import Synchronization
import VitalsHTTP
import VitalsSystem

/// A web config file in effect: parsed, its certificates loaded, its users ready to check.
public struct LoadedWebConfig: Sendable {
    public var config: WebConfig
    public var tls: TLSSetup?
    public var authenticator: BasicAuthenticator
}

/// Loads `--web.config.file` and reloads it when it or the files it names change.
///
/// A reload that fails (a half-written file, a key that does not match) is logged and the
/// previous configuration stays in effect, so a mistake never locks Prometheus out.
public final class WebConfigWatcher: Sendable {
    public let path: String
    private let logger: Logger
    private let state: Mutex<(loaded: LoadedWebConfig, fingerprint: [Int])>

    /// Loads the file; throws with file, line and column when it cannot be used.
    public init(path: String, logger: Logger) throws(WebConfigError) {
        self.path = path
        self.logger = logger
        let loaded = try Self.load(path)
        state = Mutex((loaded, Self.fingerprint(path, loaded.config)))
    }

    /// The configuration in effect now.
    public var current: LoadedWebConfig { state.withLock { $0.loaded } }

    /// Checks the files for changes every `interval` until the task is cancelled.
    public func watch(every interval: Duration = .seconds(2)) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            reloadIfChanged()
        }
    }

    /// Reloads when the config file or a file it names changed since the last load.
    @discardableResult
    public func reloadIfChanged() -> Bool {
        let (config, previous) = state.withLock { ($0.loaded.config, $0.fingerprint) }
        let now = Self.fingerprint(path, config)
        guard now != previous else { return false }
        do {
            let loaded = try Self.load(path)
            if (loaded.tls == nil) != (config.tls == nil) {
                // Fail closed: a reload must never turn an HTTPS port into a plain one (nor the
                // reverse, which would break every scraper at once). Changing it takes a restart.
                state.withLock { $0.fingerprint = now }
                logger.error(
                    "could not reload web config: it turns TLS \(loaded.tls == nil ? "off" : "on"), which takes a restart; keeping the previous one",
                    metadata: ["file": "\(path)"])
                return false
            }
            state.withLock { $0 = (loaded, Self.fingerprint(path, loaded.config)) }
            logger.info("reloaded web config", metadata: ["file": "\(path)"])
            return true
        } catch {
            state.withLock { $0.fingerprint = now }
            logger.error(
                "could not reload web config; keeping the previous one",
                metadata: ["file": "\(path)", "err": "\(error)"])
            return false
        }
    }

    static func load(_ path: String) throws(WebConfigError) -> LoadedWebConfig {
        let text: String
        do {
            text = try FileAccess.readString(path)
        } catch {
            throw WebConfigError(file: path, position: nil, message: "cannot read the web config: \(error.reason)")
        }
        let config = try WebConfig.parse(text, file: path)
        return LoadedWebConfig(
            config: config, tls: try config.tls.map { tls throws(WebConfigError) in try makeTLS(tls, file: path) },
            authenticator: BasicAuthenticator(users: config.basicAuthUsers))
    }

    /// Builds the TLS context, so that a bad certificate or key fails at load, not at the first handshake.
    static func makeTLS(_ tls: TLSServerConfig, file: String) throws(WebConfigError) -> TLSSetup {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(tls.certFile).map { NIOSSLCertificateSource.certificate($0) }
            guard !chain.isEmpty else {
                throw WebConfigError(file: file, position: nil, message: "no certificate in cert_file \(tls.certFile)")
            }
            let key = try NIOSSLPrivateKey(file: tls.keyFile, format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain, privateKey: .privateKey(key))
            configuration.minimumTLSVersion = version(tls.minVersion)
            configuration.maximumTLSVersion = tls.maxVersion.map(version)
            if let caFile = tls.clientCAFile {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
            }
            var acceptAny = false
            switch tls.clientAuth {
            case .noClientCert, .requestClientCert:
                configuration.certificateVerification = .none
            case .requireAnyClientCert:
                configuration.certificateVerification = .noHostnameVerification
                acceptAny = true
            case .verifyClientCertIfGiven:
                configuration.certificateVerification = .optionalVerification
            case .requireAndVerifyClientCert:
                configuration.certificateVerification = .noHostnameVerification
            }
            // Forward-secret suites only, as Go offers by default; the operator's list replaces them.
            let tls12Suites = tls.cipherSuites.filter { !$0.isTLS13 }
            if tls.cipherSuites.isEmpty {
                configuration.cipherSuites = "ECDHE+AESGCM:ECDHE+CHACHA20:ECDHE+AES"
            } else if tls12Suites.isEmpty {
                configuration.minimumTLSVersion = .tlsv13
            } else {
                configuration.cipherSuiteValues = tls12Suites.map { NIOTLSCipher(rawValue: $0.codePoint) }
            }
            if !tls.curvePreferences.isEmpty {
                configuration.curves = tls.curvePreferences.map { NIOTLSCurve(rawValue: $0.codePoint) }
            }
            return TLSSetup(
                context: try NIOSSLContext(configuration: configuration), acceptAnyClientCertificate: acceptAny,
                allowedSANs: tls.clientAllowedSANs)
        } catch let error as WebConfigError {
            throw error
        } catch {
            throw WebConfigError(
                file: file, position: nil,
                message: "cannot load TLS certificate \(tls.certFile) and key \(tls.keyFile): \(error)")
        }
    }

    private static func version(_ version: TLSServerConfig.Version) -> TLSVersion {
        switch version {
        case .tls10: .tlsv1
        case .tls11: .tlsv11
        case .tls12: .tlsv12
        case .tls13: .tlsv13
        }
    }

    /// Digests of the contents of the config and every file it names: a change is seen however
    /// quickly it follows the last one, which modification times (whole seconds on some file
    /// systems) would miss.
    static func fingerprint(_ path: String, _ config: WebConfig) -> [Int] {
        let files = [path] + [config.tls?.certFile, config.tls?.keyFile, config.tls?.clientCAFile].compactMap { $0 }
        return files.map { file in
            guard let bytes = try? FileAccess.read(file) else { return -1 }
            var hasher = Hasher()
            hasher.combine(bytes)
            return hasher.finalize()
        }
    }
}
