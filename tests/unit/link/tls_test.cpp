// MqttSession over TLS with client certificates against a real mosquitto (label integration): a
// CA, the broker's certificate and the clients' certificates are made with the openssl command in
// a temporary folder; the listener is the commented TLS example of config/broker/tls.conf
// (require_certificate, cafile/certfile/keyfile, the certificate's CN as the MQTT user).
#include "recorder.h"
#include "retour/link/mqtt_session.h"
#include "tests/support/child_process.h"
#include "tests/support/net.h"
#include "tests/support/paths.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait.h"

#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <mutex>
#include <optional>
#include <string>
#include <unistd.h>
#include <vector>

namespace retour::sync {
namespace {

using namespace std::chrono_literals;

bool run(const std::vector<std::string>& argv)
{
    test::ChildProcess child(argv);
    const auto exit = child.wait(30s);
    return exit && exit->code == 0;
}

// A CA under `dir`/<name>.crt/.key, and certificates it signs.
class Pki
{
public:
    explicit Pki(std::filesystem::path dir) : dir_(std::move(dir)) {}

    bool makeCa(const std::string& name)
    {
        return run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "2", "-subj", "/CN=" + name, "-keyout", path(name, "key"), "-out",
                    path(name, "crt")});
    }
    // A certificate for `cn` signed by `ca`; the broker's carries its loopback address as SAN
    // (libmosquitto checks the host name).
    bool makeCert(const std::string& name, const std::string& cn, const std::string& ca)
    {
        const std::string ext = path(name, "ext");
        std::ofstream(ext) << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
        return run({"openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-subj", "/CN=" + cn, "-keyout", path(name, "key"), "-out", path(name, "csr")}) &&
               run({"openssl", "x509", "-req", "-in", path(name, "csr"), "-CA", path(ca, "crt"), "-CAkey",
                    path(ca, "key"), "-CAcreateserial", "-days", "2", "-extfile", ext, "-out",
                    path(name, "crt")});
    }
    std::string path(const std::string& name, const std::string& ext) const
    {
        return (dir_ / (name + "." + ext)).string();
    }

private:
    std::filesystem::path dir_;
};

using Recorder = test::TransportRecorder;

class TlsTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        if (test::mosquittoProgram().empty() || !run({"openssl", "version"})) {
            GTEST_SKIP() << "mosquitto or openssl not installed";
        }
        ASSERT_TRUE(pki_.makeCa("ca"));
        ASSERT_TRUE(pki_.makeCert("broker", "localhost", "ca"));
        ASSERT_TRUE(pki_.makeCert("bench-01", "bench-01", "ca"));
        ASSERT_TRUE(pki_.makeCert("central", "central", "ca"));
        port_ = test::freeTcpPort();
        // config/broker/tls.conf with this test's paths, port and (as root) user.
        std::ifstream example(test::sourceDir() / "config/broker/tls.conf");
        ASSERT_TRUE(example) << "config/broker/tls.conf is missing";
        std::ofstream conf(dir_ / "mosquitto.conf");
        conf << "per_listener_settings false\n"
             << "listener " << port_ << " 127.0.0.1\n"
             << "cafile " << pki_.path("ca", "crt") << "\n"
             << "certfile " << pki_.path("broker", "crt") << "\n"
             << "keyfile " << pki_.path("broker", "key") << "\n";
        for (std::string line; std::getline(example, line);) {
            // The example's own settings, apart from what this test replaces above.
            if (line.empty() || line[0] == '#' || line.starts_with("listener") ||
                line.starts_with("cafile") || line.starts_with("certfile") || line.starts_with("keyfile")) {
                continue;
            }
            conf << line << "\n";
        }
        conf << "acl_file " << (test::sourceDir() / "config/broker/acl").string() << "\n"
             << "allow_anonymous false\npersistence false\nlog_dest file " << (dir_ / "broker.log").string()
             << "\nlog_type all\n";
        if (::geteuid() == 0) {
            conf << "user root\n"; // docs/protocols/mqtt-broker.md: mosquitto drops to `mosquitto` otherwise
        }
        conf.close();
        broker_.emplace(
            std::vector<std::string>{test::mosquittoProgram(), "-c", (dir_ / "mosquitto.conf").string()});
        ASSERT_TRUE(test::waitForTcpPort("127.0.0.1", port_, 10s)) << log();
    }

    MqttOptions options(const std::string& client, const std::string& certName, const std::string& caName)
    {
        MqttOptions o;
        o.host = "127.0.0.1";
        o.port = port_;
        o.clientId = client;
        o.cleanStart = true;
        o.caFile = pki_.path(caName, "crt");
        o.certFile = pki_.path(certName, "crt");
        o.keyFile = pki_.path(certName, "key");
        o.reconnectMin = 50ms;
        o.reconnectMax = 200ms;
        return o;
    }

    std::string log() const
    {
        std::ifstream in(dir_ / "broker.log");
        return std::string(std::istreambuf_iterator<char>(in), {});
    }

    test::TempDir dir_{"retour-tls"};
    Pki pki_{dir_.path()};
    int port_ = 0;
    std::optional<test::ChildProcess> broker_;
};

TEST_F(TlsTest, StationPublishesAndCentralReceivesOverTls)
{
    Recorder central;
    auto centralSession = MqttSession::create(options("central-1", "central", "ca"), central.callbacks());
    ASSERT_TRUE(centralSession.has_value()) << centralSession.error().message;
    ASSERT_TRUE((*centralSession)->subscribe("returns/v1/+/+/evt/#", 1).has_value());
    ASSERT_TRUE((*centralSession)->start().has_value());

    Recorder station;
    auto stationSession = MqttSession::create(options("bench-01", "bench-01", "ca"), station.callbacks());
    ASSERT_TRUE(stationSession.has_value()) << stationSession.error().message;
    ASSERT_TRUE((*stationSession)->start().has_value());
    ASSERT_TRUE(test::waitUntil(
        [&] { return (*centralSession)->connected() && (*stationSession)->connected(); }, 20s))
        << log();

    const std::string payload = R"({"schema":"label.printed","over":"tls"})";
    // The broker took the certificate's CN as the user: the ACL lets bench-01 write its own topics.
    ASSERT_TRUE((*stationSession)
                    ->publish("returns/v1/site-a/bench-01/evt/label.printed", payload, 1, false)
                    .has_value());
    ASSERT_TRUE(test::waitUntil([&] { return central.messageCount() >= 1; }, 20s)) << log();
    EXPECT_EQ(central.messages().front().payload, payload);
    (*stationSession)->stop();
    (*centralSession)->stop();
}

TEST_F(TlsTest, ClientCertificateFromAnotherCaIsRefusedWithAClearError)
{
    ASSERT_TRUE(pki_.makeCa("rogue-ca"));
    ASSERT_TRUE(pki_.makeCert("rogue", "bench-01", "rogue-ca"));
    Recorder rogue;
    // It trusts the broker (the right CA) but shows a certificate the broker's CA did not sign.
    auto session = MqttSession::create(options("rogue", "rogue", "ca"), rogue.callbacks());
    ASSERT_TRUE(session.has_value()) << session.error().message;
    ASSERT_TRUE((*session)->start().has_value());
    ASSERT_TRUE(test::waitUntil([&] { return rogue.refusal().has_value(); }, 20s));
    EXPECT_FALSE((*session)->connected());
    const std::string reason = *rogue.refusal();
    EXPECT_NE(reason.find("TLS"), std::string::npos) << reason;
    EXPECT_NE(reason.find("rogue.crt"), std::string::npos) << reason;
    EXPECT_NE(reason.find("127.0.0.1:" + std::to_string(port_)), std::string::npos) << reason;
    (*session)->stop();
}

TEST_F(TlsTest, ClientTrustingAnotherCaRefusesTheBrokerWithAClearError)
{
    ASSERT_TRUE(pki_.makeCa("rogue-ca"));
    Recorder client;
    auto session = MqttSession::create(options("bench-01", "bench-01", "rogue-ca"), client.callbacks());
    ASSERT_TRUE(session.has_value()) << session.error().message;
    ASSERT_TRUE((*session)->start().has_value());
    ASSERT_TRUE(test::waitUntil([&] { return client.refusal().has_value(); }, 20s));
    EXPECT_FALSE((*session)->connected());
    const std::string reason = *client.refusal();
    EXPECT_NE(reason.find("TLS"), std::string::npos) << reason;
    EXPECT_NE(reason.find("rogue-ca.crt"), std::string::npos) << reason;
    (*session)->stop();
}

} // namespace
} // namespace retour::sync
