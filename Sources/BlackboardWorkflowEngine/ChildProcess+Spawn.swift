// Starting a child with posix_spawn.
//
// The child:
// - runs `/bin/sh -c COMMAND` with exactly the given environment;
// - leads a new process group (POSIX_SPAWN_SETPGROUP, pgid 0 → pgid = pid), so
//   one `killpg` reaches the shell and everything it starts;
// - gets every signal's default action (POSIX_SPAWN_SETSIGDEF with a full set) and
//   an empty signal mask (POSIX_SPAWN_SETSIGMASK): the engine ignores SIGPIPE and
//   its Dispatch threads block nearly every signal, and ignored or blocked signals
//   survive exec otherwise. (glibc leaves its two internal real-time signals, 32
//   and 33, ignored in every posix_spawn child: `sigfillset` cannot name them.
//   Shells and ordinary programs never use them.);
// - reads stdin from /dev/null and appends stdout and stderr to one log file;
// - inherits no other descriptor: ours are close-on-exec, and
//   posix_spawn_file_actions_addclosefrom_np(3) closes anything other code opened
//   without O_CLOEXEC.
//
// glibc declares the `_np` file actions only under _GNU_SOURCE, which Swift's
// Glibc module is not built with, so they are looked up once with dlsym (glibc
// has had addchdir_np since 2.29 and addclosefrom_np since 2.34; Debian 12 ships 2.36).

#if canImport(Glibc)
import Glibc
#endif
import Foundation

extension ChildProcess {
    /// The shell every command runs under.
    public static let shell = "/bin/sh"

    /// Starts `configuration.command` and returns at once. `onExit` is called once,
    /// on the child's reaper thread, when nothing of the group is left running and
    /// *before* any waiter sees the exit (``exit`` is still nil while it runs); it
    /// must not block for long, nor wait for this child.
    ///
    /// Throws ``EngineSystemError/workingDirectory(path:errno:)``,
    /// ``EngineSystemError/logFile(path:errno:)``,
    /// ``EngineSystemError/invalidEnvironment(name:)`` or ``EngineSystemError/spawn(errno:)``;
    /// in every case no process was started.
    public static func spawn(_ configuration: Configuration, onExit: (@Sendable (ChildExit) -> Void)? = nil)
        throws(EngineSystemError) -> ChildProcess
    {
        let environment = try environmentStrings(configuration.environment)
        if let directory = configuration.workingDirectory, let code = unusableDirectory(directory) {
            throw .workingDirectory(path: directory, errno: code)
        }
        let log: Int32
        do {
            log = try descriptorAboveStandard(
                SystemCalls.open(configuration.logPath, O_WRONLY | O_CREAT | O_APPEND), path: configuration.logPath)
        } catch {
            if case let .system(_, _, code) = error { throw .logFile(path: configuration.logPath, errno: code) }
            throw error
        }
        defer { SystemCalls.close(log) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, log, 1)
        posix_spawn_file_actions_adddup2(&actions, log, 2)
        if let directory = configuration.workingDirectory {
            guard let addChdir = SpawnExtensions.addChdir else { throw .spawn(errno: ENOSYS) }
            let result = addChdir(&actions, directory)
            if result != 0 { throw .spawn(errno: result) }
        }
        // Without addclosefrom_np, O_CLOEXEC on our own descriptors still holds.
        if let addClosefrom = SpawnExtensions.addClosefrom { _ = addClosefrom(&actions, 3) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)

        var pid: pid_t = 0
        let startedAt = ContinuousClock.now
        let result = withCStrings(["sh", "-c", configuration.command]) { argv in
            withCStrings(environment) { envp in posix_spawn(&pid, shell, &actions, &attributes, argv, envp) }
        }
        if result != 0 {
            // The directory may have gone between the check and the spawn.
            if let directory = configuration.workingDirectory, let code = unusableDirectory(directory) {
                throw .workingDirectory(path: directory, errno: code)
            }
            throw .spawn(errno: result)
        }
        let child = ChildProcess(pid: pid, startedAt: startedAt, onExit: onExit)
        Thread.detachNewThread { child.reap() }
        return child
    }

    /// `NAME=value` strings, sorted by name, after checking each pair.
    static func environmentStrings(_ environment: [String: String]) throws(EngineSystemError) -> [String] {
        var strings: [String] = []
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) {
            if name.isEmpty || name.utf8.contains(UInt8(ascii: "=")) || name.utf8.contains(0) || value.utf8.contains(0) {
                throw .invalidEnvironment(name: name)
            }
            strings.append("\(name)=\(value)")
        }
        return strings
    }

    /// Why `path` cannot be a working directory (ENOENT, ENOTDIR, EACCES…), or nil if it can.
    static func unusableDirectory(_ path: String) -> Int32? {
        var info = stat()
        if stat(path, &info) != 0 { return errno }
        if info.st_mode & S_IFMT != S_IFDIR { return ENOTDIR }
        if access(path, X_OK) != 0 { return errno }
        return nil
    }

    /// `fd`, moved above 2 if it landed on a standard descriptor (when the engine
    /// runs with stdin, stdout or stderr closed), so the child's dup2s cannot clobber it.
    static func descriptorAboveStandard(_ fd: Int32, path: String) throws(EngineSystemError) -> Int32 {
        guard fd < 3 else { return fd }
        let moved = fcntl(fd, F_DUPFD_CLOEXEC, 3)
        let code = errno
        SystemCalls.close(fd)
        if moved < 0 { throw SystemCalls.failure("fcntl", path, code) }
        return moved
    }

    /// Calls `body` with a NULL-terminated array of C strings.
    static func withCStrings<Result>(_ strings: [String],
                                     _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Result) -> Result {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

/// glibc's `_np` spawn file actions, found with dlsym (see the top of this file).
enum SpawnExtensions {
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?) -> Int32
    typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32

    static let addChdir: AddChdir? = symbol("posix_spawn_file_actions_addchdir_np").map {
        unsafeBitCast($0, to: AddChdir.self)
    }
    static let addClosefrom: AddClosefrom? = symbol("posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: AddClosefrom.self)
    }

    private static func symbol(_ name: String) -> UnsafeMutableRawPointer? {
        // dlopen(nil) is the program itself, whose global scope includes libc.
        guard let program = dlopen(nil, RTLD_NOW) else { return nil }
        return dlsym(program, name)
    }
}
