# A small stand-in for Homebrew's Formula class, so packaging/test-homebrew.sh
# can run till.rb's own install, post_install, service and test blocks on a
# machine without Homebrew (CI on Debian). It implements only the DSL that
# till.rb uses; extend it when the formula uses more.
#
#   ruby formula_shim.rb FORMULA PREFIX TILL_BINARY
#
# `cargo install` is replaced by copying TILL_BINARY (the release build) into
# PREFIX/bin; etc and var live under PREFIX. Each check prints `ok - ...` or
# `not ok - ...`; the exit status is the number of failures (0 = all passed).
require "fileutils"
require "net/http"
require "pathname"
require "socket"
require "tmpdir"

class AssertionFailed < StandardError; end

class Pathname
  # Homebrew's Pathname#install: move files from the build directory here.
  def install(*sources)
    mkpath
    sources.each { |s| FileUtils.mv(s.to_s, (self/File.basename(s.to_s)).to_s) }
  end
end

class Formula
  class << self
    attr_reader :dsl, :service_block, :test_block

    def inherited(sub)
      super
      sub.instance_variable_set(:@dsl, {})
      $formula_class = sub
    end

    %i[desc homepage url sha256 license].each do |name|
      define_method(name) { |value| @dsl[name] = value }
    end

    def head(url, **opts) = (@dsl[:head] = [url, opts])
    def depends_on(spec) = ((@dsl[:depends_on] ||= []) << spec)
    def service(&block) = (@service_block = block)
    def test(&block) = (@test_block = block)
  end

  # What a `service do` block declares.
  class Service
    attr_reader :fields

    def initialize(formula)
      @formula = formula
      @fields = {}
    end

    # Like Homebrew's: the formula's paths (opt_bin, etc, var) are in scope.
    def method_missing(name, ...) = @formula.respond_to?(name) ? @formula.public_send(name, ...) : super
    def respond_to_missing?(name, priv = false) = @formula.respond_to?(name) || super

    %i[run keep_alive working_dir log_path error_log_path].each do |name|
      define_method(name) { |value| @fields[name] = value }
    end
  end

  Build = Struct.new(:head?)

  attr_reader :prefix, :buildpath
  attr_accessor :testpath

  def initialize(prefix, binary)
    @prefix = Pathname(prefix)
    @binary = binary
    @buildpath = Pathname(Dir.mktmpdir("till-build"))
  end

  def version = self.class.dsl[:url][/v(\d+\.\d+\.\d+)/, 1]
  def build = Build.new(false)
  def bin = prefix/"bin"
  def opt_bin = bin
  def etc = prefix/"etc"
  def var = prefix/"var"
  def std_cargo_args = ["--locked", "--root", prefix.to_s, "--path", "."]

  def system(*args)
    if args[0..1] == %w[cargo install]
      raise AssertionFailed, "cargo install args #{args[2..]}" unless args[2..] == std_cargo_args

      bin.mkpath
      FileUtils.cp(@binary, (bin/"till").to_s)
      return true
    end
    Kernel.system(*args.map(&:to_s)) || raise(AssertionFailed, "failed: #{args.join(" ")}")
  end

  def with_env(vars)
    saved = vars.to_h { |k, _| [k.to_s, ENV.fetch(k.to_s, nil)] }
    vars.each { |k, v| ENV[k.to_s] = v.to_s }
    yield
  ensure
    saved.each { |k, v| ENV[k] = v }
  end

  def free_port
    server = TCPServer.new("127.0.0.1", 0)
    server.addr[1]
  ensure
    server&.close
  end

  def shell_output(cmd, result = 0)
    out = IO.popen(cmd, &:read)
    raise AssertionFailed, "`#{cmd}` exited #{$?.exitstatus}" if result && $?.exitstatus != result

    out
  end

  def assert_match(pattern, text)
    ok = pattern.is_a?(Regexp) ? pattern.match?(text) : text.include?(pattern)
    raise AssertionFailed, "expected #{pattern.inspect} in #{text.inspect}" unless ok
  end

  def assert_path_exists(path)
    raise AssertionFailed, "missing #{path}" unless File.exist?(path)
  end

  def service_fields
    s = Service.new(self)
    s.instance_exec(&self.class.service_block)
    s.fields
  end
end

def check(name)
  yield
  puts "ok - #{name}"
  true
rescue StandardError, AssertionFailed => e
  puts "not ok - #{name}: #{e.message}"
  false
end

formula_file, prefix, binary = ARGV
load File.expand_path(formula_file)
f = $formula_class.new(prefix, binary)
results = []

results << check("formula declares desc, homepage, url, sha256, license, head, rust build dependency") do
  dsl = f.class.dsl
  missing = %i[desc homepage url sha256 license head].reject { |k| dsl[k] }
  raise AssertionFailed, "missing #{missing.join(", ")}" unless missing.empty?
  raise AssertionFailed, "sha256 must be 64 hex digits" unless dsl[:sha256].match?(/\A\h{64}\z/)
  raise AssertionFailed, "no rust build dependency" unless dsl[:depends_on]&.include?("rust" => :build)
end

results << check("install: cargo install with std_cargo_args, config written to etc/till/till.toml") do
  Dir.chdir(f.buildpath) { f.install }
  conf = (f.etc/"till/till.toml").read
  f.assert_match "sample_data = false", conf
  f.assert_match "data_dir = \"#{f.var}/till\"", conf
end

results << check("the written config is valid for till (till config show)") do
  shown = f.shell_output("#{f.bin}/till config show --config #{f.etc}/till/till.toml")
  f.assert_match "sample_data = false", shown
  f.assert_match "#{f.var}/till", shown
end

results << check("post_install: var/till, the database and a 0600 initial-admin-password") do
  f.post_install
  f.assert_path_exists f.var/"till/till.db"
  pw = f.var/"till/initial-admin-password"
  f.assert_match(/password: \w{24}/, pw.read)
  mode = pw.stat.mode & 0o777
  raise AssertionFailed, format("mode %o", mode) unless mode == 0o600
end

results << check("post_install again keeps the database and password") do
  before = (f.var/"till/initial-admin-password").read
  f.post_install
  raise AssertionFailed, "password file rewritten" unless (f.var/"till/initial-admin-password").read == before
end

results << check("service: runs `till serve --config etc/till/till.toml`, keep_alive, logs in var/log") do
  s = f.service_fields
  want = [f.opt_bin/"till", "serve", "--config", f.etc/"till/till.toml"].map(&:to_s)
  raise AssertionFailed, "run #{s[:run].inspect}" unless s[:run].map(&:to_s) == want
  raise AssertionFailed, "keep_alive" unless s[:keep_alive] == true
  raise AssertionFailed, "log paths" unless s[:log_path].to_s.start_with?((f.var/"log").to_s)
end

results << check("service: its command line serves the installed config and database") do
  run = f.service_fields[:run].map(&:to_s)
  port = f.free_port
  # Only the port differs from `brew services start till`.
  pid = Process.spawn({ "TILL_BIND" => "127.0.0.1:#{port}" }, *run,
                      out: File::NULL, err: (f.var/"log/till.log").to_s)
  begin
    body = nil
    60.times do
      body = Net::HTTP.get(URI("http://127.0.0.1:#{port}/api/v1/status"))
      break
    rescue Errno::ECONNREFUSED, Errno::ECONNRESET, EOFError
      sleep 0.5
    end
    f.assert_match '"status":"ok"', body.to_s
  ensure
    Process.kill("TERM", pid)
    Process.wait(pid)
  end
end

results << check("test do block passes (version, /api/v1/status on a free port)") do
  Dir.mktmpdir("till-brew-test") do |dir|
    f.testpath = Pathname(dir)
    Dir.chdir(dir) { f.instance_exec(&f.class.test_block) }
  end
end

failed = results.count(false)
exit failed
