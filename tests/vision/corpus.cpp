// Synthetic camera frames for the vision corpus (docs/protocols/benchmarks.md §4 "Corpora needed"; the layout
// of ZXing-C++'s test/samples: an image and its expected text side by side). Every image is drawn here from a
// fixed seed, so nothing binary lives in git and a run is reproducible.
//
// A frame is a cluttered bench scene (gradient, boxes, lines, printed text) with codes on white
// labels; each set then applies one degradation of real benches: blur, rotation, skew,
// perspective, sensor noise, low contrast, glare.
#include "corpus.h"

#include "retour/vision/barcode_writer.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>

namespace retour::vision::corpus {

namespace {

constexpr int frameWidth = 1024;
constexpr int frameHeight = 768;

int checkDigit(const std::string& digits)
{
    int sum = 0;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        int d = digits[digits.size() - 1 - i] - '0';
        sum += i % 2 == 0 ? 3 * d : d;
    }
    return (10 - sum % 10) % 10;
}

std::string randomDigits(cv::RNG& rng, int count)
{
    std::string out;
    for (int i = 0; i < count; ++i)
        out.push_back(static_cast<char>('0' + rng.uniform(0, 10)));
    return out;
}

std::string randomAlnum(cv::RNG& rng, int count)
{
    static constexpr char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
    std::string out;
    for (int i = 0; i < count; ++i)
        out.push_back(alphabet[rng.uniform(0, static_cast<int>(sizeof alphabet) - 1)]);
    return out;
}

// UPC-E (number system 0): the 6 digits expand to a UPC-A whose check digit ends the symbol.
std::string upcE(cv::RNG& rng)
{
    std::string d = randomDigits(rng, 6);
    std::string manufacturer;
    std::string product;
    const char last = d[5];
    if (last <= '2') {
        manufacturer = {d[0], d[1], last, '0', '0'};
        product = {'0', '0', d[2], d[3], d[4]};
    } else if (last == '3') {
        manufacturer = {d[0], d[1], d[2], '0', '0'};
        product = {'0', '0', '0', d[3], d[4]};
    } else if (last == '4') {
        manufacturer = {d[0], d[1], d[2], d[3], '0'};
        product = {'0', '0', '0', '0', d[4]};
    } else {
        manufacturer = {d[0], d[1], d[2], d[3], d[4]};
        product = {'0', '0', '0', '0', last};
    }
    const std::string upcA = "0" + manufacturer + product;
    return "0" + d + static_cast<char>('0' + checkDigit(upcA));
}

struct Code
{
    std::string format;
    std::string encode; // what the writer is given
    std::string text;   // what a reader must return
    bool linear = true;
};

// Every format the station meets: product codes (EAN/UPC), LPN and carrier labels (Code 128,
// GS1-128), legacy Code 39, shipping cartons (ITF-14), RMA sheets (QR Code, DataMatrix, PDF417).
const std::vector<std::string>& stationFormats()
{
    static const std::vector<std::string> formats = {"EAN-13",   "EAN-8",      "UPC-A",   "UPC-E",
                                                     "Code 128", "GS1-128",    "Code 39", "ITF",
                                                     "QR Code",  "DataMatrix", "PDF417"};
    return formats;
}

Code makeCode(const std::string& kind, cv::RNG& rng)
{
    if (kind == "EAN-13") {
        std::string d = "40" + randomDigits(rng, 10);
        return {"EAN-13", d, d + static_cast<char>('0' + checkDigit(d))};
    }
    if (kind == "EAN-8") {
        std::string d = "9" + randomDigits(rng, 6);
        return {"EAN-8", d, d + static_cast<char>('0' + checkDigit(d))};
    }
    if (kind == "UPC-A") {
        std::string d = "0" + randomDigits(rng, 10);
        return {"UPC-A", d, d + static_cast<char>('0' + checkDigit(d))};
    }
    if (kind == "UPC-E") {
        std::string full = upcE(rng);
        return {"UPC-E", full, full};
    }
    if (kind == "Code 128") {
        std::string t = "LPN-" + randomDigits(rng, 8);
        return {"Code 128", t, t};
    }
    if (kind == "GS1-128") {
        // (01) GTIN-14, (10) batch, FNC1, (21) serial; FNC1 is written as U+00F1 for ZXing's writer.
        std::string gtin = "0" + randomDigits(rng, 12);
        gtin += static_cast<char>('0' + checkDigit(gtin));
        std::string lot = randomAlnum(rng, 5);
        std::string serial = randomDigits(rng, 6);
        return {"Code 128",
                "\xC3\xB1"
                "01" +
                    gtin + "10" + lot +
                    "\xC3\xB1"
                    "21" +
                    serial,
                "01" + gtin + "10" + lot +
                    "\x1d"
                    "21" +
                    serial};
    }
    if (kind == "Code 39") {
        std::string t = "RT" + randomAlnum(rng, 6);
        return {"Code 39", t, t};
    }
    if (kind == "ITF") {
        std::string d = "1" + randomDigits(rng, 12);
        d += static_cast<char>('0' + checkDigit(d));
        return {"ITF", d, d};
    }
    if (kind == "QR Code") {
        std::string t = "https://returns.example/r/RMA-" + randomDigits(rng, 4) + "-" + randomAlnum(rng, 6);
        return {"QR Code", t, t, false};
    }
    if (kind == "DataMatrix") {
        std::string t = "SN:" + randomAlnum(rng, 10);
        return {"DataMatrix", t, t, false};
    }
    std::string t = "RMA " + randomDigits(rng, 6) + " ORDER " + randomAlnum(rng, 8);
    return {"PDF417", t, t, false};
}

// A cluttered bench: a lit gradient, cardboard-ish boxes, tape lines and printed words, none of
// them a barcode.
cv::Mat scene(cv::RNG& rng)
{
    cv::Mat frame(frameHeight, frameWidth, CV_8UC3);
    const int base = rng.uniform(150, 210);
    for (int y = 0; y < frameHeight; ++y) {
        const int v = base + (y * 30) / frameHeight;
        frame.row(y).setTo(cv::Scalar(v - 10, v, v + 5));
    }
    for (int i = 0; i < 8; ++i) {
        cv::Point a(rng.uniform(0, frameWidth), rng.uniform(0, frameHeight));
        cv::Point b = a + cv::Point(rng.uniform(40, 300), rng.uniform(40, 200));
        cv::rectangle(frame, a, b,
                      cv::Scalar(rng.uniform(60, 140), rng.uniform(90, 170), rng.uniform(120, 200)),
                      cv::FILLED);
    }
    for (int i = 0; i < 6; ++i)
        cv::line(frame, {rng.uniform(0, frameWidth), rng.uniform(0, frameHeight)},
                 {rng.uniform(0, frameWidth), rng.uniform(0, frameHeight)},
                 cv::Scalar::all(rng.uniform(20, 90)), rng.uniform(1, 6));
    static const char* words[] = {"FRAGILE", "THIS SIDE UP", "RETURN", "Qty 1", "Made in EU", "12/2024"};
    for (int i = 0; i < 5; ++i)
        cv::putText(frame, words[rng.uniform(0, 6)],
                    {rng.uniform(0, frameWidth - 200), rng.uniform(20, frameHeight)},
                    cv::FONT_HERSHEY_SIMPLEX, rng.uniform(0.5, 1.4), cv::Scalar::all(rng.uniform(0, 80)), 2,
                    cv::LINE_AA);
    cv::GaussianBlur(frame, frame, cv::Size(3, 3), 0.6);
    return frame;
}

// The smallest size that fits, by bisection over [1, 1024].
template <class Fits> int smallest(Fits fits)
{
    int low = 1;
    int high = 1024;
    if (!fits(high))
        return -1;
    while (low < high) {
        const int mid = (low + high) / 2;
        if (fits(mid))
            high = mid;
        else
            low = mid + 1;
    }
    return low;
}

// Renders the code on a white label at 2-4 px per module and pastes it into free space; false
// when it does not fit.
bool paste(cv::Mat& frame, const Code& code, cv::RNG& rng, std::vector<cv::Rect>& taken, int maxSide)
{
    int module = rng.uniform(2, 5);
    // The symbol's size at one pixel per module, quiet zone included (barcode_writer.h).
    const int unitWidth = smallest(
        [&](int w) { return renderBarcode(code.encode, code.format, w, code.linear ? 1 : w).has_value(); });
    const int unitHeight = code.linear ? 1 : smallest([&](int h) {
        return renderBarcode(code.encode, code.format, unitWidth, h).has_value();
    });
    if (unitWidth <= 0 || unitHeight <= 0)
        return false;
    while (module > 1 && unitWidth * module > maxSide)
        --module;
    const int width = unitWidth * module;
    const int height = code.linear ? std::max(60, width / 3) : unitHeight * module;
    auto image = renderBarcode(code.encode, code.format, width, height);
    if (!image)
        return false;
    const cv::Mat& symbol = *image;
    const int pad = 8;
    cv::Rect label(0, 0, symbol.cols + 2 * pad, symbol.rows + 2 * pad);
    for (int attempt = 0; attempt < 60; ++attempt) {
        if (label.width >= frameWidth - 40 || label.height >= frameHeight - 40)
            return false;
        label.x = rng.uniform(20, frameWidth - label.width - 20);
        label.y = rng.uniform(20, frameHeight - label.height - 20);
        const cv::Rect spaced(label.x - 30, label.y - 30, label.width + 60, label.height + 60);
        if (std::any_of(taken.begin(), taken.end(),
                        [&](const cv::Rect& r) { return (r & spaced).area() > 0; }))
            continue;
        frame(label).setTo(cv::Scalar(245, 248, 250));
        cv::Mat bgr;
        cv::cvtColor(symbol, bgr, cv::COLOR_GRAY2BGR);
        // Printed black is not pure black, label white not pure white.
        bgr.convertTo(bgr, -1, 220.0 / 255.0, 25);
        bgr.copyTo(frame(cv::Rect(label.x + pad, label.y + pad, symbol.cols, symbol.rows)));
        taken.push_back(label);
        return true;
    }
    return false;
}

void addNoise(cv::Mat& frame, cv::RNG& rng, double sigma)
{
    cv::Mat noise(frame.size(), CV_16SC3);
    rng.fill(noise, cv::RNG::NORMAL, 0, sigma);
    cv::Mat wide;
    frame.convertTo(wide, CV_16SC3);
    wide += noise;
    wide.convertTo(frame, CV_8UC3);
}

cv::Mat rotateBy(const cv::Mat& frame, double degrees)
{
    const cv::Point2f centre(frame.cols / 2.0F, frame.rows / 2.0F);
    cv::Mat turn = cv::getRotationMatrix2D(centre, degrees, 1.0);
    cv::Mat out;
    cv::warpAffine(frame, out, turn, frame.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    return out;
}

// Codes for one image of a set; the multi set gets several, the no-code set none.
std::vector<Code> codesFor(const std::string& set, int index, cv::RNG& rng)
{
    const auto& formats = stationFormats();
    if (set == "nocode")
        return {};
    if (set == "multi") {
        std::vector<Code> codes;
        const int count = 3 + index % 2;
        for (int i = 0; i < count; ++i)
            codes.push_back(
                makeCode(formats[static_cast<std::size_t>(index * 3 + i * 5) % formats.size()], rng));
        return codes;
    }
    return {makeCode(formats[static_cast<std::size_t>(index) % formats.size()], rng)};
}

// One degraded frame of a set.
cv::Mat degrade(const std::string& set, int index, cv::Mat frame, cv::RNG& rng)
{
    if (set == "blur") {
        cv::GaussianBlur(frame, frame, cv::Size(), rng.uniform(0.9, 1.6));
    } else if (set == "rotation") {
        static constexpr cv::RotateFlags turns[] = {cv::ROTATE_90_CLOCKWISE, cv::ROTATE_180,
                                                    cv::ROTATE_90_COUNTERCLOCKWISE};
        if (index % 4 != 0)
            cv::rotate(frame, frame, turns[index % 4 - 1]);
    } else if (set == "skew") {
        const double angle = rng.uniform(5.0, 40.0) * (index % 2 == 0 ? 1 : -1);
        frame = rotateBy(frame, angle);
    } else if (set == "perspective") {
        const float w = static_cast<float>(frame.cols);
        const float h = static_cast<float>(frame.rows);
        const cv::Point2f from[] = {{0, 0}, {w, 0}, {w, h}, {0, h}};
        cv::Point2f to[4];
        for (int i = 0; i < 4; ++i)
            to[i] = from[i] + cv::Point2f(static_cast<float>(rng.uniform(-0.12, 0.12)) * w,
                                          static_cast<float>(rng.uniform(-0.12, 0.12)) * h);
        cv::warpPerspective(frame, frame, cv::getPerspectiveTransform(from, to), frame.size(),
                            cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    } else if (set == "noise") {
        addNoise(frame, rng, rng.uniform(10.0, 22.0));
    } else if (set == "lowcontrast") {
        // The whole range squeezed into 30-45 grey levels around a dim or bright middle.
        const double range = rng.uniform(30.0, 45.0);
        const double low = rng.uniform(60.0, 160.0);
        frame.convertTo(frame, -1, range / 255.0, low);
        addNoise(frame, rng, 1.5);
    } else if (set == "glare") {
        // A specular highlight: a bright Gaussian spot that washes out part of the scene.
        cv::Mat spot(frame.size(), CV_32F, cv::Scalar(0));
        const cv::Point centre(rng.uniform(200, frameWidth - 200), rng.uniform(150, frameHeight - 150));
        cv::circle(spot, centre, rng.uniform(60, 140), cv::Scalar(1.0), cv::FILLED);
        cv::GaussianBlur(spot, spot, cv::Size(), 70);
        cv::normalize(spot, spot, 0, rng.uniform(150.0, 230.0), cv::NORM_MINMAX);
        cv::Mat spot3;
        cv::cvtColor(spot, spot3, cv::COLOR_GRAY2BGR);
        cv::Mat lit;
        frame.convertTo(lit, CV_32FC3);
        lit += spot3;
        lit.convertTo(frame, CV_8UC3);
    } else if (set == "nocode") {
        // Bar-like stripes that are no symbology, and a checkerboard patch: things a reader might
        // take for a code.
        cv::Rect stripes(rng.uniform(50, 500), rng.uniform(50, 400), 300, 120);
        frame(stripes).setTo(cv::Scalar::all(245));
        for (int x = stripes.x + 10; x < stripes.x + stripes.width - 10; x += rng.uniform(3, 9))
            cv::rectangle(frame, {x, stripes.y + 10},
                          {x + rng.uniform(1, 5), stripes.y + stripes.height - 10}, cv::Scalar::all(30),
                          cv::FILLED);
        const int cell = rng.uniform(3, 7);
        cv::Rect board(rng.uniform(550, 800), rng.uniform(300, 600), cell * 24, cell * 24);
        for (int y = 0; y < 24; ++y)
            for (int x = 0; x < 24; ++x)
                if (rng.uniform(0, 2) == 1)
                    frame(cv::Rect(board.x + x * cell, board.y + y * cell, cell, cell))
                        .setTo(cv::Scalar::all(20));
        addNoise(frame, rng, 4);
    }
    return frame;
}

std::string escape(const std::string& text)
{
    std::string out;
    for (char c : text)
        out += c == '\x1d' ? std::string("\\x1d") : std::string(1, c);
    return out;
}

std::string unescape(const std::string& text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 4, "\\x1d") == 0) {
            out.push_back('\x1d');
            i += 3;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

int imagesPerSet(const std::string& set)
{
    if (set == "formats")
        return 2 * static_cast<int>(stationFormats().size());
    if (set == "rotation")
        return 24;
    if (set == "multi")
        return 10;
    return 22;
}

} // namespace

const std::vector<std::string>& setNames()
{
    static const std::vector<std::string> names = {"formats",     "blur",  "rotation",    "skew",
                                                   "perspective", "noise", "lowcontrast", "glare",
                                                   "multi",       "nocode"};
    return names;
}

int generate(const std::filesystem::path& dir)
{
    int written = 0;
    for (std::size_t s = 0; s < setNames().size(); ++s) {
        const std::string& set = setNames()[s];
        const auto setDir = dir / set;
        std::filesystem::create_directories(setDir);
        for (int i = 0; i < imagesPerSet(set); ++i) {
            cv::RNG rng(static_cast<std::uint64_t>(1000 * (s + 1) + static_cast<std::size_t>(i)));
            cv::Mat frame = scene(rng);
            std::vector<cv::Rect> taken;
            std::vector<Code> placed;
            for (const Code& code : codesFor(set, i, rng))
                if (paste(frame, code, rng, taken, set == "multi" ? 360 : 520))
                    placed.push_back(code);
            frame = degrade(set, i, frame, rng);
            char name[16];
            std::snprintf(name, sizeof name, "%03d", i);
            if (!cv::imwrite((setDir / (std::string(name) + ".png")).string(), frame,
                             {cv::IMWRITE_PNG_COMPRESSION, 1}))
                continue;
            std::ofstream txt(setDir / (std::string(name) + ".txt"));
            for (const Code& code : placed)
                txt << code.format << '\t' << escape(code.text) << '\n';
            ++written;
        }
    }
    return written;
}

std::vector<Sample> loadSet(const std::filesystem::path& dir, const std::string& set)
{
    std::vector<Sample> samples;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir / set, ec)) {
        if (entry.path().extension() != ".png")
            continue;
        Sample sample{entry.path(), {}};
        std::ifstream txt(std::filesystem::path(entry.path()).replace_extension(".txt"));
        std::string line;
        while (std::getline(txt, line)) {
            const auto tab = line.find('\t');
            if (tab != std::string::npos)
                sample.codes.push_back({line.substr(0, tab), unescape(line.substr(tab + 1))});
        }
        samples.push_back(std::move(sample));
    }
    std::sort(samples.begin(), samples.end(),
              [](const Sample& a, const Sample& b) { return a.image.filename() < b.image.filename(); });
    return samples;
}

} // namespace retour::vision::corpus
