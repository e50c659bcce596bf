// `provarc serve`: prints its address, answers there, stops cleanly on SIGINT and SIGTERM, and
// refuses what it must (a non-loopback address, a missing archive, a bad --listen).
#include <httplib.h>
#include <signal.h>

#include <gtest/gtest.h>

#include <chrono>

#include "tests/support/paths.h"
#include "tests/support/reader_archive.h"
#include "tests/support/serve_process.h"

namespace provarc::testing {
namespace {

class CliServeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { built_ = new ReaderArchive(build_reader_archive(temp_dir())); }
  static void TearDownTestSuite() { delete built_; }
  static ReaderArchive* built_;
};

ReaderArchive* CliServeTest::built_ = nullptr;

TEST_F(CliServeTest, ServesOnTheAddressItPrintsAndStopsOnSignals) {
  for (int signal : {SIGTERM, SIGINT}) {
    ServeProcess serve(built_->db_path);
    ASSERT_FALSE(serve.url().empty()) << serve.output();
    EXPECT_NE(serve.output().find("provarc serve: reading " + built_->db_path + " at " +
                                  serve.url()),
              std::string::npos)
        << serve.output();
    httplib::Client client("127.0.0.1", serve.port());
    client.set_read_timeout(20, 0);
    auto res = client.Get("/");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_NE(res->body.find("dong-thap"), std::string::npos);
    // An idle keep-alive connection must not hold the stop up.
    auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(serve.stop(signal), 0) << serve.output();
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(8));
    EXPECT_NE(serve.output().find("provarc serve: stopped"), std::string::npos);
  }
}

TEST_F(CliServeTest, RefusesANonLoopbackAddress) {
  RunResult run = run_command({provarc_binary(), "--db", built_->db_path, "serve", "--listen",
                               "0.0.0.0:0"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("not a loopback address"), std::string::npos) << run.err;
  run = run_command({provarc_binary(), "--db", built_->db_path, "serve", "--listen", "x:y"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--listen x:y"), std::string::npos) << run.err;
}

TEST_F(CliServeTest, AMissingArchiveIsNamed) {
  const std::string missing = temp_dir() + "/khong-co.sqlite";
  RunResult run =
      run_command({provarc_binary(), "--db", missing, "serve", "--listen", "127.0.0.1:0"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find(missing), std::string::npos) << run.err;
}

TEST_F(CliServeTest, ATakenPortIsNamed) {
  ServeProcess first(built_->db_path);
  ASSERT_FALSE(first.url().empty()) << first.output();
  const std::string address = "127.0.0.1:" + std::to_string(first.port());
  RunResult run =
      run_command({provarc_binary(), "--db", built_->db_path, "serve", "--listen", address});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("cannot listen on " + address), std::string::npos) << run.err;
}

}  // namespace
}  // namespace provarc::testing
