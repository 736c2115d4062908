# Homebrew formula for till. Install from a checkout with
#   brew install --build-from-source packaging/homebrew/till.rb
# or, once it is in a tap, `brew install till` (`--HEAD` for the main branch).
#
# On a release: set `url` to the release tarball and replace the zeros in
# `sha256` (RELEASE_SHA256) with `shasum -a 256 till-<version>.tar.gz`.
# The placeholder addresses below (example.com) are where the project's
# public repository goes once it has one.
#
# packaging/test-homebrew.sh checks this file with `ruby -c` and runs its
# install, post_install, service and test blocks against a release build on
# Linux, through a small stand-in for Homebrew's Formula class
# (packaging/homebrew/formula_shim.rb).
class Till < Formula
  desc "Hosting billing and customer client area in one binary on SQLite"
  homepage "https://example.com/till"
  url "https://example.com/till/archive/refs/tags/v0.1.0.tar.gz"
  sha256 "0000000000000000000000000000000000000000000000000000000000000000" # RELEASE_SHA256
  license "AGPL-3.0-or-later"
  head "https://example.com/till.git", branch: "main"

  depends_on "rust" => :build

  def install
    # A release tarball has no .git: let `till version` name the tag.
    ENV["BUILD_GIT_COMMIT"] = "v#{version}" unless build.head?
    system "cargo", "install", *std_cargo_args

    (buildpath/"till.toml").write <<~TOML
      # till configuration (Homebrew). `till config default` prints every key.
      bind = "127.0.0.1:8080"
      # Holds till.db (the whole business), backups/ and the mail outbox/.
      data_dir = "#{var}/till"
      sample_data = false
    TOML
    # Homebrew keeps an edited etc file on upgrade (the new one lands beside
    # it as till.toml.default).
    (etc/"till").install "till.toml"
  end

  def post_install
    (var/"till").mkpath
    (var/"log").mkpath
    # First install: create the database and the first admin, as the Debian
    # package does, with the password in a file only the owner can read.
    return if (var/"till/till.db").exist?

    require "securerandom"
    password = SecureRandom.alphanumeric(24)
    with_env(TILL_ADMIN_EMAIL: "admin@localhost", TILL_ADMIN_PASSWORD: password) do
      system bin/"till", "migrate", "--config", etc/"till/till.toml"
    end
    password_file = var/"till/initial-admin-password"
    password_file.write("email:    admin@localhost\npassword: #{password}\n")
    password_file.chmod 0600
  end

  def caveats
    <<~EOS
      The first admin is admin@localhost; its password is in
        #{var}/till/initial-admin-password
      Log in at http://127.0.0.1:8080/admin, change it, then delete that file.
      Configuration: #{etc}/till/till.toml   Data: #{var}/till
    EOS
  end

  service do
    run [opt_bin/"till", "serve", "--config", etc/"till/till.toml"]
    keep_alive true
    working_dir var/"till"
    log_path var/"log/till.log"
    error_log_path var/"log/till.log"
  end

  test do
    require "net/http"

    assert_match(/^till \d+\.\d+\.\d+\S* \(commit \S+\)$/, shell_output("#{bin}/till version"))

    port = free_port
    data = testpath/"data"
    pid = spawn("#{bin}/till", "serve", "--bind", "127.0.0.1:#{port}", "--data-dir", data.to_s,
                "--no-sample-data", out: File::NULL, err: (testpath/"till.log").to_s)
    begin
      body = nil
      60.times do
        body = Net::HTTP.get(URI("http://127.0.0.1:#{port}/api/v1/status"))
        break
      rescue Errno::ECONNREFUSED, Errno::ECONNRESET, EOFError
        sleep 0.5
      end
      assert_match '"status":"ok"', body.to_s
      assert_path_exists data/"till.db"
    ensure
      Process.kill("TERM", pid)
      Process.wait(pid)
    end
  end
end
