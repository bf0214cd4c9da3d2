// The header: scenario title and description, the menu (open, reload, presenter, language), and
// the caption in force, large, on a yellow band: what the teacher wants the class to read.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "viz/panels.hpp"
#include "viz/text.hpp"
#include "viz/theme.hpp"

namespace netstep::viz {

namespace {

[[maybe_unused]] ImVec2 item_center() { return ImVec2((ImGui::GetItemRectMin().x + ImGui::GetItemRectMax().x) * 0.5f,
                                      (ImGui::GetItemRectMin().y + ImGui::GetItemRectMax().y) * 0.5f); }

}  // namespace

// "PDF…": the run as shown (what-if faults, typed lines) as a printable handout, in the viewer's
// language (viz/export/, as `netstep export --handout`). A popup with the path; the result stays
// in it until closed. Not in the browser: no files there.
void HeaderPanel::draw_export(const ViewModel& vm, Commands& out) {
#ifndef NETSTEP_WEB
    const Strings& t = vm.text;
    ImGui::SameLine();
    if (ImGui::Button("PDF…###export")) {
        std::snprintf(export_path.data(), export_path.size(), "%s", vm.handout_default.c_str());
        ImGui::OpenPopup("###export-handout");
    }
    export_center = item_center();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", t.export_handout);
    std::string title = std::string(t.export_handout) + "###export-handout";
    export_shown = false;
    if (ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        export_shown = true;
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 30.0f);
        if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
        bool enter = ImGui::InputText("##path", export_path.data(), export_path.size(), ImGuiInputTextFlags_EnterReturnsTrue);
        float w = ImGui::GetFontSize() * 6.0f;
        bool save = ImGui::Button(t.save, ImVec2(w, 0)) || enter;
        export_ok_center = item_center();
        ImGui::SameLine();
        bool close = ImGui::Button(t.close, ImVec2(w, 0)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape));
        export_close_center = item_center();
        if (save && export_path[0] != '\0') out.push_back(cmd::ExportHandout{export_path.data()});
        if (!vm.handout_message.empty()) {
            ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
            ImGui::TextUnformatted(vm.handout_message.c_str());
            ImGui::PopTextWrapPos();
        }
        if (close) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
#else
    (void)vm;
    (void)out;
#endif
}

namespace {

void draw_menu(const ViewModel& vm, Commands& out) {
    const Strings& t = vm.text;
#ifndef NETSTEP_WEB  // a lesson in the browser is one run: no scenario files to open
    std::string open = std::string(t.open) + "…###open";
    if (ImGui::Button(open.c_str())) ImGui::OpenPopup("scenarios");
    if (ImGui::BeginPopup("scenarios")) {
        for (const std::string& path : vm.scenarios) {
            std::string name = std::filesystem::path(path).stem().string();
            if (ImGui::Selectable(name.c_str(), path == vm.scenario_file)) out.push_back(cmd::Open{path});
        }
        ImGui::EndPopup();
    }
    ImGui::SameLine();
#endif
    if (ImGui::Button("⟳###reload")) out.push_back(cmd::Reload{});
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", t.reload);
    ImGui::SameLine();
    bool presenter = vm.presenter;
    if (ImGui::Checkbox("F2###presenter", &presenter)) out.push_back(cmd::TogglePresenter{});
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", t.presenter);
    ImGui::SameLine();
    bool predict = vm.predict != nullptr;
    std::string predict_label = std::string(t.predict) + " (P)###predict";
    if (ImGui::Checkbox(predict_label.c_str(), &predict)) out.push_back(cmd::TogglePredict{});
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", t.predict_help);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 3.6f);
    if (ImGui::BeginCombo("##lang", language_code(vm.lang))) {
        for (Language lang : {Language::En, Language::Fr, Language::It}) {
            if (ImGui::Selectable(language_code(lang), lang == vm.lang)) out.push_back(cmd::SetLanguage{lang});
        }
        ImGui::EndCombo();
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", t.language);
}

}  // namespace

void HeaderPanel::draw(const ViewModel& vm, Commands& out) {
    const sim::Trace& trace = vm.view.trace();
    std::string open_label = std::string(vm.text.open) + "…";
    std::string predict_label = std::string(vm.text.predict) + " (P)";
    float menu_w = ImGui::CalcTextSize(open_label.c_str()).x + ImGui::CalcTextSize("F2").x +
                   ImGui::CalcTextSize(predict_label.c_str()).x + ImGui::GetFontSize() * 12.0f;
#ifndef NETSTEP_WEB
    menu_w += ImGui::CalcTextSize("PDF…").x + ImGui::GetStyle().FramePadding.x * 2 + ImGui::GetStyle().ItemSpacing.x;
#endif
    float avail = ImGui::GetContentRegionAvail().x;
    // The title, shrunk (then clipped) to leave room for the menu: long titles and presenter fonts.
    {
        ImFont* font = vm.fonts.caption;
        float room = std::max(50.0f, avail - menu_w - ImGui::GetFontSize());
        std::string title = clamp_text(trace.title);
        ImVec2 ts = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, title.c_str());
        float size = font->FontSize * std::clamp(room / std::max(1.0f, ts.x), 0.7f, 1.0f);
        ImVec2 at = ImGui::GetCursorScreenPos();
        ImVec2 shown(std::min(room, ts.x * size / font->FontSize), ts.y);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->PushClipRect(at, ImVec2(at.x + shown.x, at.y + shown.y), true);
        dl->AddText(font, size, ImVec2(at.x, at.y + (ts.y - ts.y * size / font->FontSize) * 0.5f), theme::kInk, title.c_str());
        dl->PopClipRect();
        ImGui::Dummy(shown);
        if (ImGui::IsItemHovered() && !vm.screenshot_mode && shown.x < ts.x * size / font->FontSize)
            TextTooltip(trace.title);
    }
    if (vm.modified) {
        ImGui::SameLine();
        ImGui::TextColored(theme::to_vec4(theme::kDrop), "(%s — %s)", vm.text.what_if, vm.text.modified);
        ImGui::SameLine();
        if (ImGui::SmallButton(vm.text.revert)) out.push_back(cmd::Revert{});
    }
    ImGui::SameLine();
    float x = ImGui::GetCursorPosX();
    float desc_w = avail - menu_w - x;
    if (desc_w > 40.0f) {
        ImGui::PushStyleColor(ImGuiCol_Text, theme::to_vec4(theme::rgb(70, 72, 80)));
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 6.0f);
        std::string description = clamp_text(trace.description, kMaxDrawnBytes, SIZE_MAX);  // as one line, cut with "…"
        std::replace(description.begin(), description.end(), '\n', ' ');
        while (!description.empty() && description.back() == ' ') description.pop_back();
        ImGui::TextUnformatted(text_fit(ImGui::GetFont(), ImGui::GetFontSize(), description, desc_w).c_str());
        ImGui::PopStyleColor();
        if (ImGui::IsItemHovered() && !vm.screenshot_mode) TextTooltip(trace.description);  // the whole, wrapped
    }
    ImGui::SameLine(avail - menu_w + ImGui::GetStyle().WindowPadding.x);
    draw_menu(vm, out);
    draw_export(vm, out);

    // The caption band.
    auto step = vm.view.index().caption_at(vm.step);
    std::string caption = clamp_text(step ? trace.caption_text(*step, language_code(vm.lang)) : std::string());
    bool muted = caption.empty();
    if (muted) caption = clamp_text(vm.view.describe(vm.step));
    ImVec2 p = ImGui::GetCursorScreenPos();
    ImVec2 size(ImGui::GetContentRegionAvail().x, ImGui::GetContentRegionAvail().y);
    ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y), muted ? theme::rgb(242, 243, 246) : theme::kCaptionBg, 6.0f);
    // Wrapped in the band, as large as fits: the full size on one line, smaller on two or three.
    ImFont* font = muted ? vm.fonts.bold : vm.fonts.caption;
    float pad = 12.0f, wrap = std::max(50.0f, size.x - 2 * pad), full = font->FontSize;
    float font_size = full;
    ImVec2 ts = font->CalcTextSizeA(font_size, FLT_MAX, wrap, caption.c_str());
    while (ts.y > size.y - 4 && font_size > full * 0.55f) {
        font_size = std::floor(font_size * 0.9f);
        ts = font->CalcTextSizeA(font_size, FLT_MAX, wrap, caption.c_str());
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->PushClipRect(p, ImVec2(p.x + size.x, p.y + size.y), true);
    dl->AddText(font, font_size, ImVec2(p.x + pad, p.y + std::max(2.0f, (size.y - ts.y) * 0.5f)),
                muted ? theme::kMuted : theme::kInk, caption.c_str(), nullptr, wrap);
    dl->PopClipRect();
    ImGui::Dummy(size);
    if (ts.y > size.y && ImGui::IsItemHovered() && !vm.screenshot_mode) TextTooltip(caption);  // more than the band holds
}

}  // namespace netstep::viz
