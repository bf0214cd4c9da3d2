// Predict mode's question band, between the controls and the panels: the question, its choices
// A-D as large buttons, then (once the class has voted and the teacher pressed the letter) the
// right answer lit with its rule and RFC section, and the score. Keys: A-D answer, Esc skips,
// P turns predict mode on and off.
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "viz/panels.hpp"
#include "viz/predict.hpp"
#include "viz/text.hpp"
#include "viz/theme.hpp"

namespace netstep::viz {

namespace {

constexpr ImU32 kRight = theme::rgb(0, 158, 115);     // Okabe-Ito bluish green
constexpr ImU32 kRightBg = theme::rgb(214, 242, 230);
constexpr ImU32 kWrongBg = theme::rgb(250, 222, 208);
constexpr ImU32 kBandBg = theme::rgb(232, 240, 252);

std::string format(const char* pattern, size_t a, size_t b) {
    char buf[256];
    std::snprintf(buf, sizeof buf, pattern, a, b);
    return buf;
}

}  // namespace

float PredictPanel::height(const FontSizes& s) {
    return s.caption * 1.35f + s.caption * 1.75f + s.body * 2.5f + 20.0f;
}

void PredictPanel::draw(const ViewModel& vm, Commands& out) {
    choice_min.clear();
    choice_max.clear();
    const Predict* p = vm.predict;
    if (!p) return;
    const Strings& t = vm.text;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 origin = ImGui::GetCursorScreenPos();
    ImVec2 avail = ImGui::GetContentRegionAvail();
    dl->AddRectFilled(origin, ImVec2(origin.x + avail.x, origin.y + avail.y), kBandBg, 6.0f);
    float pad = 10.0f;
    float wrap = std::max(50.0f, avail.x - 2 * pad);
    ImGui::SetCursorScreenPos(ImVec2(origin.x + pad, origin.y + 4.0f));
    const sim::quiz::Question* q = p->current();
    std::string score = format(t.predict_score, p->right(), p->done());
    if (!q) {  // between questions: what comes next, and the score so far
        ImGui::PushFont(vm.fonts.caption);
        ImGui::TextColored(theme::to_vec4(theme::kMuted), "%s", t.predict);
        ImGui::PopFont();
        std::string line;
        const auto& qs = p->questions();
        auto next = std::find_if(qs.begin(), qs.end(), [&](const sim::quiz::Question& x) {
            return p->status(size_t(&x - qs.data())) == Predict::Status::Open && Predict::gate_of(x) >= vm.step;
        });
        if (qs.empty()) line = t.predict_none;
        else if (next != qs.end()) line = format(t.predict_next, size_t(Predict::gate_of(*next)), 0);
        else line = t.predict_done;
        if (!qs.empty()) line += "   " + score;
        ImGui::PushTextWrapPos(origin.x + avail.x - pad);
        ImGui::TextUnformatted(line.c_str());
        ImGui::PopTextWrapPos();
        return;
    }
    size_t index = p->current_index();
    bool revealed = p->revealed();
    std::optional<uint32_t> chosen = p->chosen(index);

    // The question, in the caption font (smaller when it would not fit on one line).
    ImFont* font = vm.fonts.caption;
    std::string head = format(t.predict_question, index + 1, p->questions().size()) + "  ";
    std::string prompt = clamp_text(q->prompt);
    float head_w = vm.fonts.bold->CalcTextSizeA(font->FontSize, FLT_MAX, 0, head.c_str()).x;
    float size = font->FontSize;
    float prompt_w = font->CalcTextSizeA(size, FLT_MAX, 0, prompt.c_str()).x;
    if (head_w + prompt_w > wrap) size = std::max(font->FontSize * 0.7f, size * (wrap - head_w) / prompt_w);
    ImVec2 at = ImGui::GetCursorScreenPos();
    dl->AddText(vm.fonts.bold, font->FontSize * 0.8f, ImVec2(at.x, at.y + font->FontSize * 0.1f), theme::kMuted, head.c_str());
    dl->AddText(font, size, ImVec2(at.x + head_w * 0.8f, at.y), theme::kInk,
                text_fit(font, size, prompt, wrap - head_w * 0.8f).c_str());
    ImGui::Dummy(ImVec2(wrap, font->FontSize * 1.3f));

    // The choices: "A  SYN, ACK", as buttons; once revealed, the right one lit ✓, a wrong vote ✗.
    ImGui::SetCursorScreenPos(ImVec2(origin.x + pad, ImGui::GetCursorScreenPos().y));
    ImGui::PushFont(font);
    float gap = ImGui::GetStyle().ItemSpacing.x * 2.0f;
    float each = (wrap - gap * float(q->choices.size() - 1)) / float(std::max<size_t>(1, q->choices.size()));
    for (size_t i = 0; i < q->choices.size(); ++i) {
        if (i > 0) ImGui::SameLine(0, gap);
        bool right = revealed && i == q->answer;
        bool wrong = revealed && chosen && *chosen == i && i != q->answer;
        std::string mark = right ? " ✓" : wrong ? " ✗" : "";
        std::string label = std::string(1, char('A' + i)) + "   " +
                            text_fit(font, font->FontSize, q->choices[i] + mark, each - font->FontSize * 2.0f) + "###choice" +
                            std::to_string(i);
        ImGui::PushStyleColor(ImGuiCol_Button, theme::to_vec4(right ? kRightBg : wrong ? kWrongBg : theme::kPaper));
        ImGui::PushStyleColor(ImGuiCol_Border, theme::to_vec4(right ? kRight : wrong ? theme::kDrop : theme::kFaint));
        ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, right || wrong ? 3.0f : 1.0f);
        ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0.0f, 0.5f));
        if (ImGui::Button(label.c_str(), ImVec2(each, font->FontSize * 1.55f)) && !revealed) out.push_back(cmd::Answer{uint32_t(i)});
        ImGui::PopStyleVar(2);
        ImGui::PopStyleColor(2);
        choice_min.push_back(ImGui::GetItemRectMin());
        choice_max.push_back(ImGui::GetItemRectMax());
    }
    ImGui::PopFont();

    // The hint, or the reveal: right or not, the rule, how to go on, the score.
    ImGui::SetCursorScreenPos(ImVec2(origin.x + pad, ImGui::GetCursorScreenPos().y + 2.0f));
    ImGui::PushTextWrapPos(origin.x + avail.x - pad);
    if (!revealed) {
        ImGui::TextColored(theme::to_vec4(theme::kMuted), "%s   %s", t.predict_vote, score.c_str());
    } else {
        Predict::Status s = p->status(index);
        const char* verdict = s == Predict::Status::Right ? t.predict_right : s == Predict::Status::Wrong ? t.predict_wrong : t.predict_skipped;
        ImGui::PushFont(vm.fonts.bold);
        ImGui::TextColored(theme::to_vec4(s == Predict::Status::Right ? kRight : theme::kDrop), "%s", verdict);
        ImGui::PopFont();
        ImGui::SameLine();
        std::string rest = clamp_text(q->explanation) + "   " + t.predict_go_on + "   " + score;
        ImGui::TextUnformatted(rest.c_str());
    }
    ImGui::PopTextWrapPos();
}

void PredictPanel::handle_keys(const ViewModel& vm, Commands& out) const {
    const ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput || io.KeyCtrl || io.KeyAlt) return;
    if (ImGui::IsKeyPressed(GLFW_KEY_P, false)) out.push_back(cmd::TogglePredict{});
    if (!vm.predict || !vm.predict->current() || vm.predict->revealed()) return;
    size_t n = vm.predict->current()->choices.size();
    for (size_t i = 0; i < n && i < 4; ++i) {
        if (ImGui::IsKeyPressed(GLFW_KEY_A + int(i), false)) out.push_back(cmd::Answer{uint32_t(i)});
    }
    if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false)) out.push_back(cmd::SkipQuestion{});
}

}  // namespace netstep::viz
