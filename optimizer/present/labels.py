"""Every text the app and the Excel shortlist show, in English and 简体中文, in one place.

`Labels(language, cities)` is the one object the app, the figures and the export ask for
words: `labels("key")` for a sentence or a title, `labels.column(key)` for a table header,
`labels.sheet(key)`, `labels.sector(...)`, `labels.city(...)`, `labels.status(...)`,
`labels.limit(family, key)` for a limit in a planner's words, `labels.reason(...)` for why a
project is left out, `labels.ppp_note(...)` for a city's PPP standing, `labels.conflict(...)`
for the diagnosis of an infeasible scenario, `labels.difference(...)` for a change between two
solves, and `labels.people(...)` for counts (万 in Chinese). The domain modules hold codes and
numbers; this module is where they become words.

Each table below maps a key to (English, Chinese); a test checks that both are there. The
Chinese follows the terms a provincial planner writes: 一般公共预算支出, 新增专项债券额度,
财政支出责任占一般公共预算支出比例, 政府和社会资本合作（PPP）, 财政承受能力, 去产能分流职工,
再就业, and one word, 求解精度, for the solver's gap.
"""

from __future__ import annotations

import errno
import math
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..diagnosis import Conflict
from ..precision import Difference

LANGUAGES = {"en": "English", "zh": "简体中文"}

Pair = tuple[str, str]

# ---------------------------------------------------------------------------- sentences, titles

TEXT: dict[str, Pair] = {
    # Version 3 words (docs/model.md): the headline's companions and the two new levers.
    "worker_years_v3_help": (
        "Worker-years that displaced workers would otherwise have spent without work, "
        "assuming the programme hires those least likely to find work alone.",
        "假定项目优先吸纳最难自行就业的分流职工，计算其原本将处于失业状态的人年。",
    ),
    "jobless_left": ("Jobless worker-years left", "剩余失业人年"),
    "exposure_share": ("Share of exposure re-employed", "暴露人年中再就业占比"),
    "jobless_at_end": ("Still jobless at the end of the horizon", "规划期末仍未就业人数"),
    "training": ("Training (培训一人、就业一人)", "职业技能培训（培训一人、就业一人）"),
    "layoff_pace": ("Pace of layoffs", "分流安置节奏"),
    "layoff_pace_help": (
        "The advised year of each layoff batch against the planned one, inside its exit "
        "window and under the mass-layoff cap.",
        "在退出窗口内、规模性裁员上限之下，各批次建议分流年份与计划年份对比。",
    ),
    "monitoring": ("Close monitoring", "重点监控"),
    "monitoring_help": (
        "Cities whose jobless displaced workers stay above {share} of their exposure in a year.",
        "某年未就业分流职工超过其暴露人年{share}的城市。",
    ),
    "construction_vs_lasting": (
        "Worker-years in construction / lasting jobs",
        "建设期 / 运营期（长期）再就业人年",
    ),
    "public_money_per_worker_year": (
        "Public money per re-employed worker-year (万元)",
        "每再就业人年财政资金（万元）",
    ),
    "page_title": ("Jiangsu infrastructure prioritiser", "江苏基础设施投资优选"),
    "title": ("Infrastructure investment prioritiser — Jiangsu", "基础设施投资优选 — 江苏"),
    "subtitle": (
        "Choose projects and start years that re-employ the most displaced workers, within "
        "fiscal, debt and PPP limits.",
        "在财政、债务和政府和社会资本合作（PPP）财政承受能力约束下，选择能让最多去产能分流职工"
        "再就业的项目与开工年份。",
    ),
    "language": ("Language", "语言"),
    "data": ("Workbook", "数据工作簿"),
    "use_sample": ("Sample workbook (projects.xlsx)", "示例工作簿（projects.xlsx）"),
    "use_upload": ("Upload my workbook", "上传工作簿"),
    "upload": ("Workbook (.xlsx)", "工作簿（.xlsx）"),
    "template": ("Download a blank template", "下载空白模板"),
    "bad_upload": (
        "The upload has problems; the app keeps working on the last good workbook.",
        "上传的工作簿有问题；应用继续使用上一个有效的工作簿。",
    ),
    "scenario": ("Scenario", "情景"),
    "money_table": (
        "Fiscal budget (Budget) and bond quota (Bonds) by year (亿元)",
        "各年财政预算与新增专项债券额度（亿元）",
    ),
    "debt_scale": ("Debt headroom scale", "债务空间倍数"),
    "ppp_line": (
        "PPP line (share of general budget spending)",
        "PPP财政承受能力红线（财政支出责任占一般公共预算支出比例）",
    ),
    "ppp_custom": ("PPP line, own value", "PPP红线自定义"),
    "ppp_other": ("other", "其他"),
    "commute": ("Commuting distance (km)", "通勤距离（公里）"),
    "other_weight": ("Weight of jobs no displaced worker takes", "非分流职工岗位权重"),
    "coverage": ("Minimum re-employed share in every city", "各市最低再就业比例"),
    "sectors": ("Sector shares of capex (min, max)", "行业投资占比（下限、上限）"),
    "forced_in": ("Projects forced in", "强制纳入项目"),
    "forced_out": ("Projects forced out", "强制排除项目"),
    "time_limit": ("Solver time limit (s)", "求解时限（秒）"),
    "choose": ("Choose options", "请选择"),
    "force_pick": ("Add one project (type its id or name)", "添加一个项目（输入编号或名称）"),
    "force_drop": ("Take this project off the list", "从列表中移除此项目"),
    "optimal": (
        "Optimal within a solver precision of {gap}.",
        "已求得最优解（求解精度 {gap}）。",
    ),
    "time_limited": (
        "Stopped at the time limit: the best portfolio found is within {gap} of the best "
        "possible (solver precision).",
        "达到求解时限：当前方案与理论最优之差在求解精度 {gap} 以内。",
    ),
    # While the proof goes on (optimizer.background): the page answers at once.
    "solving": ("Solving… {seconds} s", "求解中……已用 {seconds} 秒"),
    "proving": (
        "Proving the best portfolio… {seconds} s; the best found so far is within {gap} of "
        "the best possible.",
        "正在求证最优方案……已用 {seconds} 秒；目前最好的方案与理论最优之差在 {gap} 以内。",
    ),
    "provisional": (
        "Provisional: the best portfolio found so far, within {gap} of the best possible "
        "(solver precision). The solve goes on; its final answer replaces this one.",
        "临时结果：目前找到的最好方案，与理论最优之差在求解精度 {gap} 以内。求解仍在进行，"
        "完成后以最终结果替换。",
    ),
    "infeasible": (
        "No portfolio meets every limit. To make one possible:",
        "没有方案能满足全部约束。可以这样调整：",
    ),
    "solver_error": ("The solver failed: {message}", "求解器出错：{message}"),
    # The command line's summary of a solve (console.solve_lines).
    "console_status": (
        "status: {status} (gap {gap}, {seconds:.1f} s, {solver})",
        "求解状态：{status}（精度差 {gap}，用时 {seconds:.1f} 秒，{solver}）",
    ),
    "console_gap_unknown": ("unknown", "未知"),
    "console_reemployed": (
        "re-employed: {worker_years:,.0f} of {displaced:,.0f} displaced worker-years "
        "({share:.1%}); peak {peak:,.0f} persons in {year} ({peak_share:.1%} of those displaced "
        "by then)",
        "再就业：分流职工 {displaced:,.0f} 人年中再就业 {worker_years:,.0f} 人年（{share:.1%}）；"
        "{year}年达到峰值 {peak:,.0f} 人（占当时累计分流职工的 {peak_share:.1%}）",
    ),
    "console_by_year": ("re-employed by year: {years}", "逐年再就业人数：{years}"),
    "console_year": ("{year} {value:,.0f}", "{year}年 {value:,.0f} 人"),
    "console_projects": (
        "projects: {count}, capex {capex:,.1f} 亿元, {job_years:,.0f} job-years "
        "({per_yi:,.1f} per 亿元)",
        "入选项目：{count}个，总投资 {capex:,.1f} 亿元，就业 {job_years:,.0f} 人年"
        "（每亿元 {per_yi:,.1f} 人年）",
    ),
    "console_ppp": ("PPP {city}: {note}", "{city}PPP财政支出责任：{note}"),
    "console_written": ("shortlist written to {path}", "入选项目清单已写入 {path}"),
    "infeasible_after": (
        "No portfolio meets every limit since {inputs} changed. To make one possible:",
        "没有方案能满足全部约束（调整了{inputs}之后）。可以这样调整：",
    ),
    "fix_alone": (
        "This one move makes a portfolio possible:",
        "只需这一项调整即可得到可行方案：",
    ),
    "fix_together": (
        "All of these moves together make a portfolio possible (checked by moving them at once; "
        "one alone may not be enough):",
        "以下各项同时调整即可得到可行方案（经同时调整后验证；单独调整其中一项未必足够）：",
    ),
    "last_feasible": (
        "Below: the last plan that met every limit (before this change), not the current "
        "scenario.",
        "以下为调整前最后一个满足全部约束的方案，并非当前情景的结果。",
    ),
    "reemployed": ("Re-employed displaced workers (persons)", "再就业的去产能分流职工（人）"),
    "worker_years": ("Worker-years re-employed", "去产能分流职工再就业人年"),
    "job_years": ("Job-years", "就业岗位人年"),
    "job_years_per_yi": ("Job-years per 亿元", "每亿元就业人年"),
    "worker_years_help": (
        "Worker-years re-employed, of {need} worker-years displaced ({share}). A displaced "
        "worker holding a job for one year is one worker-year.",
        "去产能分流职工再就业人年，占分流职工人年（{need}）的{share}。一名分流职工就业一年为一人年。",
    ),
    "worker_years_of": ("Worker-years re-employed ({share})", "再就业人年（占{share}）"),
    "peak_of": ("Re-employed in {year} ({share})", "{year}年再就业人数（占{share}）"),
    "peak_help": (
        "Displaced workers re-employed in the peak year {year}, of {stock} displaced by then "
        "({share}).",
        "高峰年份{year}年再就业的分流职工，占截至当年累计分流职工（{stock}）的{share}。",
    ),
    "displaced_stock": ("Displaced by then", "累计去产能分流职工"),
    "by_year_title": (
        "Re-employed against the displaced, year by year",
        "逐年再就业人数与累计分流职工",
    ),
    "displaced_worker_years": ("Worker-years displaced", "分流职工人年"),
    "ppp_notes": ("PPP lines in words", "PPP财政承受能力说明"),
    "capex": ("Capex", "总投资"),
    "financing": ("Budget / bonds / social capital (亿元)", "预算 / 专项债券 / 社会资本（亿元）"),
    "capex_of": ("Capex of {count} projects", "{count}个项目总投资"),
    "vs_previous": ("Change since the previous scenario", "与上一情景相比"),
    "debt_used": ("New debt", "新增债务"),
    "worst_ppp": ("Highest PPP ratio (line {line})", "最高财政支出责任比例（红线 {line}）"),
    "worst_ppp_short": ("Highest PPP ratio", "最高财政支出责任比例"),
    "lines_exceeded": ("Lines already exceeded", "已超出的红线"),
    "line_exceeded": (
        "{city}: PPP ratio {ratio:.1%} above the {line:.0%} line",
        "{city}：财政支出责任比例 {ratio:.1%}，超出 {line:.0%} 红线",
    ),
    "projects": ("Projects", "项目数"),
    "tab_result": ("Result", "结果"),
    "tab_map": ("Map", "地图"),
    "tab_tradeoffs": ("Trade-offs", "权衡分析"),
    "tab_compare": ("Compare scenarios", "情景比较"),
    "tab_shortlist": ("Shortlist", "项目清单"),
    "frontier": ("Frontier", "前沿曲线"),
    "lever": ("Lever", "调节项"),
    "points": ("Points", "点数"),
    "run_frontier": ("Trace the frontier", "计算前沿曲线"),
    "grid": ("Two levers (heat map)", "双调节项（热力图）"),
    "lever_x": ("Across", "横轴"),
    "lever_y": ("Up", "纵轴"),
    "run_grid": ("Fill the heat map", "计算热力图"),
    "break_even": (
        "Entry threshold for projects left out (jobs each would need)",
        "未入选项目的入选门槛（临界就业数）",
    ),
    "run_break_even": ("Compute the entry thresholds", "计算入选门槛"),
    "break_even_note": (
        "Informative rows first; a row marked “within solver precision” cannot be told apart "
        "from zero.",
        "有信息量的行排在前面；标为“在求解精度内”的项目，其入选与否的差别无法与零区分。",
    ),
    "robustness": (
        "Robustness to uncertain jobs figures and capex overruns",
        "就业估计与投资超支不确定性下的稳健性",
    ),
    "draws": ("Draws", "抽样次数"),
    "spread": ("Spread of jobs per 亿元 (±)", "每亿元就业波动（±）"),
    "overrun": ("Capex overrun, up to (+)", "投资超支上限（+）"),
    "run_robustness": ("Run the draws", "运行抽样"),
    "analysis_gap": ("Solver precision per solve", "每次求解精度"),
    "save_as": ("Save the current scenario as", "将当前情景保存为"),
    "save": ("Save", "保存"),
    "saved_none": ("No saved scenarios yet.", "尚未保存情景。"),
    "compare_with": ("Compare with", "对比情景"),
    "inputs_differ": ("Inputs that differ", "不同的输入"),
    "compare_line": (
        "**{label}**, current − {other}: {change}",
        "**{label}**，当前 − {other}：{change}",
    ),
    "inputs_same": ("The two scenarios have the same inputs.", "两个情景的输入相同。"),
    "input": ("Input", "输入"),
    "entered": ("entered", "新入选"),
    "left": ("left out", "未入选"),
    "moved": ("start moved", "开工年份调整"),
    "no_change": ("The same projects in both.", "两个情景的项目相同。"),
    "download_scenario": ("Download the scenario (JSON)", "下载情景（JSON）"),
    "upload_scenario": (
        "Load a scenario (JSON, or an Excel shortlist)",
        "载入情景（JSON或Excel项目清单）",
    ),
    "bad_scenario": ("The scenario file cannot be used: {message}", "情景文件无法使用：{message}"),
    "empty_cell": (
        "A cell of “{table}” was left empty; enter an amount (0 for none). The edit was "
        "undone and the last good result is shown.",
        "“{table}”中有单元格被清空；请填写数值（没有则填 0）。该修改已撤销，仍显示上一个有效结果。",
    ),
    "edit_refused": (
        "That change cannot be used, so it was undone and the last good result is shown: {message}",
        "该修改无法使用，已撤销，仍显示上一个有效结果：{message}",
    ),
    "download_excel": ("Download the Excel shortlist", "下载Excel项目清单"),
    "change": ("Change", "变化"),
    "current": ("current", "当前"),
    "displaced": ("Displaced workers", "去产能分流职工"),
    "budget_spend": ("Budget spend", "预算支出"),
    "bond_spend": ("Bond spend", "专项债券支出"),
    "fiscal_budget": ("Fiscal budget", "财政预算"),
    "budget_short": ("Budget", "预算"),
    "bonds_short": ("Bonds", "专项债"),
    "bond_quota": ("Bond quota", "新增专项债券额度"),
    "ppp_ratio": ("PPP ratio", "财政支出责任占一般公共预算支出比例"),
    "share": ("Share of capex", "投资占比"),
    "min": ("min", "下限"),
    "max": ("max", "上限"),
    "year": ("Year", "年份"),
    "sector": ("Sector", "行业"),
    "persons": ("persons", "人"),
    "万元": ("万元", "万元"),
    "frequency": ("Chosen in share of draws", "入选频率"),
    "scenario_name": ("Scenario", "情景"),
    "marginal": ("Extra worker-years per extra {unit}", "每增加1{unit}新增再就业人年"),
    "worker_years_unit": ("worker-years", "人年"),
    "coverage_legend": ("Re-employed share", "再就业比例"),
    "filter": ("Find", "查找"),
    "left_out_count": ("{count} projects left out, with the reason", "{count}个未入选项目及原因"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "never": ("never", "无法入选"),
    "sample_data": (
        "Sample data: the figures come from the packaged sample workbook, not from a planning "
        "office's own data.",
        "示例数据：以上数字来自软件自带的示例工作簿，并非规划部门的实际数据。",
    ),
    # The Excel shortlist
    "page_of": ("Page &P of &N", "第 &P 页，共 &N 页"),
    "summary_title": ("Infrastructure shortlist", "基础设施投资项目清单"),
    "summary_achieves": ("What the portfolio achieves", "方案成效"),
    "summary_projects": ("Projects chosen", "入选项目数"),
    "summary_share": ("Share of worker-years displaced", "占分流职工人年比例"),
    "summary_peak": ("Re-employed in the peak year {year} (persons)", "高峰年份{year}年再就业人数"),
    "summary_peak_share": (
        "Share of the displaced re-employed in the peak year",
        "高峰年份再就业比例",
    ),
    "summary_limits": ("Limits used up (99 % or more)", "已用尽的限制（使用率99%及以上）"),
    "summary_count": ("{count} projects or schemes", "{count}个项目或方案组"),
    "summary_scenario": ("The scenario", "情景设定"),
    "summary_caveats": ("Caveats", "注意事项"),
    "summary_record": ("Record", "记录"),
    "unnamed": ("(unnamed)", "（未命名）"),
    "caveat_sample": ("Sample data", "示例数据"),
    "caveat_precision": ("Solver precision", "求解精度"),
    "precision_words": (
        "{status}, within a solver precision of {gap}: a difference from another scenario "
        "smaller than about {bound} worker-years is not a finding.",
        "{status}，求解精度 {gap}：与其他情景的差异若不到约{bound}，不能视为结论。",
    ),
    "caveat_jobs": ("Jobs figures", "就业数据"),
    "estimates_words": (
        "{count} of the {total} chosen projects' jobs figures are estimates (basis E); the "
        "Shortlist sheet gives each figure's source and basis (S: study, R: reported, "
        "E: estimate).",
        "{total}个入选项目中有{count}个的就业数据为估算（依据E）；各项目的数据来源与依据见"
        "“入选项目”表（S：研究，R：报告，E：估算）。",
    ),
    "solver": ("Solver", "求解器"),
    "solve_time": ("Solve time (s)", "求解用时（秒）"),
    "solved_at": ("Solved at (UTC)", "求解时间（UTC）"),
    "exported_at": ("Exported at (UTC)", "导出时间（UTC）"),
    "fingerprint": ("Input fingerprint (SHA-256)", "输入数据指纹（SHA-256）"),
    "scenario_key": ("Key", "键"),
    "chart_frontier": ("Worker-years and job-years", "再就业人年与就业人年"),
    "within_precision": (
        "within solver precision (± {bound}{unit})",
        "在求解精度内（±{bound}{unit}）",
    ),
    "ppp_limit_note": (
        "line {line:.0%} × general budget spending {spending:,.1f} = {amount:,.2f} 亿元/year; "
        "existing commitments {existing:,.2f}; room left {room:,.2f}; new {new:,.2f}",
        "红线 {line:.0%} × 一般公共预算支出 {spending:,.1f} = {amount:,.2f} 亿元/年；"
        "既有财政支出责任 {existing:,.2f}；剩余空间 {room:,.2f}；新增 {new:,.2f}",
    ),
    "ppp_warning_too": (
        "; at {after:.1%} it is above the {warn:.0%} warning level (预警)",
        "；当前{after:.1%}，超过{warn:.0%}预警线",
    ),
    "infeasible_text": (
        "no portfolio meets every limit. To make one exist:",
        "没有方案能满足全部约束。可以这样调整：",
    ),
    # The sidebar's two money scales, one slider each (the scenario's own fields).
    "fiscal_scale": ("Fiscal budget scale", "财政预算倍数"),
    "bond_scale": ("Bond quota scale", "新增专项债券额度倍数"),
    # Version 3: robustness draws the cities' baseline re-employment rates too.
    "rate_spread": (
        "Spread of baseline re-employment rates (±)",
        "自然再就业率波动（±）",
    ),
    # Version 3's figures on the page and in the Summary (views.headline_metrics, result_tab).
    "jobless_left_help": (
        "Exposure of {exposure} worker-years (jobless without the programme) less the "
        "{worker_years} re-employed.",
        "无项目时失业人年（暴露人年）{exposure}，减去再就业{worker_years}。",
    ),
    "exposure_share_help": (
        "Worker-years re-employed as a share of the exposure: the worker-years the displaced "
        "would have spent without work without the programme.",
        "再就业人年占暴露人年（无项目时分流职工失业人年）的比例。",
    ),
    "trainees_short": ("Trainees (培训人数)", "培训人数"),
    "trainees_help": (
        "Displaced workers starting training over the horizon, paid from the training budget "
        "({money} spent).",
        "规划期内开始参加职业技能培训的分流职工（培训资金支出 {money}）。",
    ),
    "public_money_short": ("Public money per worker-year", "每再就业人年财政资金"),
    "public_money_help": (
        "Budget, bonds and PPP payments in the horizon ({money}) per worker-year re-employed; "
        "training money is shown apart.",
        "规划期内一般公共预算、专项债券与PPP财政支出责任（{money}）除以再就业人年；培训资金另列。",
    ),
    "jobless_at_end_short": ("Jobless at the end of {year}", "{year}年末仍未就业"),
    "jobless_at_end_help": (
        "Displaced workers still without work at the end of the horizon, all cities; "
        "{without} without the programme.",
        "规划期末仍未就业的分流职工（各市合计）；无项目时为{without}。",
    ),
    "trainees_title": ("Trainees by city and year (培训人数)", "分城市、分年度培训人数"),
    "no_training": (
        "No one is trained: no training budget in the horizon.",
        "规划期内没有培训资金，无人参加培训。",
    ),
    # The Summary's monitoring line: a city's years and main exiting industry, clauses joined.
    "monitored_city": ("{city}: {years}, {industry}", "{city}：{years}年，{industry}"),
    "no_monitoring": (
        "No city needs close monitoring in any year.",
        "没有需要重点监控的城市。",
    ),
    "lasting_help": (
        "Displaced workers re-employed each year in jobs while projects are built, and in the "
        "lasting jobs of running projects: {construction} and {operating} worker-years.",
        "各年在项目建设期岗位与运营期（长期）岗位再就业的分流职工：分别为{construction}与{operating}。",
    ),
    "all_sectors": ("All sectors", "全部行业"),
    "caveat_assumption": ("Who the programme hires", "吸纳对象假定"),
    # The value of each limit (optimizer.limit_values), and "used up" for a solve alone.
    "used_up": ("Limits used up (99 % or more)", "已用尽的限制（使用率99%及以上）"),
    "limit_values": ("What 10 % more of each limit buys", "各项限制放宽10%的效果"),
    "run_limit_values": ("Re-solve with each limit 10 % larger", "逐项放宽10%重新求解"),
    "limit_values_note": (
        "Each limit alone 10 % larger, re-solved from the current plan at a {gap} solver "
        "precision. A limit binds when what it buys is beyond that precision (± {tolerance} "
        "worker-years); below it the gain reads 0. For a PPP line, 10 % of the city's room "
        "under the line, in 亿元 a year.",
        "逐项将一项限制放宽10%，从当前方案出发以{gap}求解精度重新求解。新增再就业超出求解精度"
        "（±{tolerance}人年）时，该限制起约束作用；精度以内记为0。PPP红线放宽量为该市红线内"
        "剩余空间的10%（亿元/年）。",
    ),
    "limit_values_none": (
        "No limit binds: 10 % more of any one buys nothing beyond the solver's precision.",
        "各项限制均不起约束作用：任一项放宽10%，新增再就业均在求解精度以内。",
    ),
    "chart_limit_values": ("Worker-years 10 % more would buy", "放宽10%新增再就业人年"),
    "console_limit_values": (
        "What 10 % more of each limit buys (ranked; re-solved from the current plan)",
        "各项限制放宽10%的效果（按新增再就业排序；从当前方案出发重新求解）",
    ),
    # Stable plans and one figure per scenario (issue 20, items 1 and 2).
    "vs_base": (
        "Change since the base scenario (the workbook's own settings)",
        "与基准情景（工作簿原设定）相比",
    ),
    "vs_both": (
        "Worker-years re-employed: {previous} since the previous scenario; {base} since the "
        "base scenario",
        "再就业人年：与上一情景相比 {previous}；与基准情景相比 {base}",
    ),
    "plan_changes": (
        "Against the previous plan: {entered} projects in, {left} out, {moved} start years "
        "moved",
        "与上一方案相比：新增 {entered} 个项目，移出 {left} 个，{moved} 个项目开工年份调整",
    ),
    "console_changes": (
        "Against the reference plan: {entered} projects in, {left} out, {moved} start years "
        "moved{nearest}",
        "与参照方案相比：新增 {entered} 个项目，移出 {left} 个，"
        "{moved} 个项目开工年份调整{nearest}",
    ),
    "console_not_nearest": (
        " (the nearest found within the work limit, not proven nearest)",
        "（在计算量上限内找到的最接近方案，未证明最接近）",
    ),
    # Each analysis's conclusion in a sentence (optimizer.conclusions gives the numbers).
    "setting_scale": ("{value}× the current amount", "当前的{value}倍"),
    "setting_share": ("a line of {value}", "红线{value}"),
    "setting_km": ("{value} km", "{value}公里"),
    "setting_amount": ("{setting} ({amount} {unit}, {change} {unit} against now)",
                       "{setting}（{amount} {unit}，较当前{change} {unit}）"),
    "frontier_stops": (
        "{lever}: beyond {where}, each further {unit} adds fewer than {threshold} "
        "worker-years re-employed; from {low} to the current setting each {unit} bought {average}.",
        "{lever}：超过{where}后，每增加1{unit}新增再就业不足{threshold}人年；"
        "从{low}到当前设定，每{unit}带来{average}人年。",
    ),
    "frontier_past": (
        "The current setting is already past that point: more of it buys little.",
        "当前设定已超过该点：再增加作用很小。",
    ),
    "frontier_pays": (
        "{lever}: up to {top}, each further {unit} still adds at least {threshold} "
        "worker-years re-employed; from {low} to the current setting each {unit} bought {average}.",
        "{lever}：直至{top}，每增加1{unit}仍可新增再就业至少{threshold}人年；"
        "从{low}到当前设定，每{unit}带来{average}人年。",
    ),
    "frontier_flat": (
        "{lever}: from {low} to {top}, no step changes the worker-years re-employed beyond "
        "solver precision; more of it buys nothing that can be told apart from zero.",
        "{lever}：从{low}到{top}，各步再就业人年的变化都在求解精度内；再增加的作用无法与零区分。",
    ),
    "frontier_off": (
        "The current setting is not a point of this frontier: add it to read where more stops "
        "paying.",
        "当前设定不在本前沿曲线的点上：加入该点才能判断增加到何处不再见效。",
    ),
    "frontier_unread": (
        "Too few points have a portfolio to say where more stops paying.",
        "有可行方案的点太少，无法判断增加到何处不再见效。",
    ),
    "grid_says": (
        "At the current settings: {current} worker-years re-employed. {x} alone at {top_x}: "
        "{gain_x}; {y} alone at {top_y}: {gain_y}. The best cell ({x} {best_x}, {y} "
        "{best_y}) gives {best} worker-years ({gain_best}).",
        "当前设定：再就业{current}。仅{x}调至{top_x}：{gain_x}；仅{y}调至{top_y}：{gain_y}。"
        "最好的格（{x}{best_x}，{y}{best_y}）为{best}（{gain_best}）。",
    ),
    "grid_no_portfolio": ("no portfolio", "无可行方案"),
    "grid_unread": (
        "The current settings have no portfolio in this grid.",
        "本热力图中当前设定无可行方案。",
    ),
    "grid_off": (
        "The current settings are not a cell of this grid (use an odd number of points).",
        "当前设定不在本热力图的格点上（请使用奇数个点）。",
    ),
    "grid_current": ("current", "当前"),
    "robust_classes": (
        "Of {draws} draws ({solved} with a portfolio), {core} projects are kept in at least "
        "90 % of them (core), {borderline} in between (borderline) and {outside} in at most "
        "10 % (outside).",
        "{draws}次抽样（{solved}次有可行方案）中，{core}个项目在至少90%的抽样中入选（核心），"
        "{borderline}个介于其间（边缘），{outside}个至多10%入选（排除）。",
    ),
    "robust_below": (
        "The median draw re-employs {median} worker-years, {change} ({relative}) below the "
        "headline's {headline}; {below} of {solved} draws fall below it. Each draw is a "
        "different world: every project's jobs per 亿元 drawn within ±{spread} and its capex "
        "overrun by 0 to +{overrun} (+{mean} on average), so the same budgets buy fewer "
        "projects and fewer jobs than the headline assumes.",
        "抽样中位数为再就业{median}人年，比结果页的{headline}人年低{change}人年（{relative}）；"
        "{solved}次中有{below}次低于结果页。每次抽样都是一种不同的情形：各项目每亿元就业在"
        "±{spread}内随机变动，投资超支0至+{overrun}（平均+{mean}），同样的预算能建的项目和"
        "带来的岗位都少于结果页的假定。",
    ),
    "robust_above": (
        "The median draw re-employs {median} worker-years, {change} ({relative}) above the "
        "headline's {headline}. Each draw is a different world: with every project's jobs per "
        "亿元 drawn within ±{spread} (capex overrun by 0 to +{overrun}), each draw picks the "
        "projects that came out well, so its best portfolio beats the workbook's figures.",
        "抽样中位数为再就业{median}人年，比结果页的{headline}人年高{change}人年（{relative}）。"
        "每次抽样都是一种不同的情形：各项目每亿元就业在±{spread}内随机变动（投资超支0至"
        "+{overrun}），每次都选中表现好的项目，因而高于按工作簿数据得到的结果。",
    ),
    "robust_same": (
        "The median draw re-employs {median} worker-years, within solver precision of the "
        "headline's {headline} (± {bound}).",
        "抽样中位数为再就业{median}人年，与结果页的{headline}人年之差在求解精度内（±{bound}）。",
    ),
    "robust_unread": ("No draw has a portfolio.", "所有抽样均无可行方案。"),
    "robust_chart": (
        "Core and borderline projects: share of draws that keep each",
        "核心与边缘项目：各项目在抽样中入选的比例",
    ),
    "robust_table": ("Share of draws that keep each project", "各项目在抽样中入选的比例"),
    "entry_nearest": (
        "Closest to entering: {project} ({name}, {city}) would need {needed} jobs per 亿元 in "
        "each build year, against the {has} it has ({rise}). {never} of {count} projects left "
        "out cannot enter by more jobs alone (a limit keeps them out); {within} are within "
        "solver precision of entering.",
        "最接近入选的是{project}（{name}，{city}）：每亿元建设期年均岗位需达到{needed}个，"
        "现有{has}个（{rise}）。{count}个未入选项目中，{never}个仅靠增加岗位无法入选"
        "（受限制约束）；{within}个入选与否在求解精度内。",
    ),
    # The printed shortlist: what a meeting's pages leave in the file.
    "not_printed": ("Not printed", "未打印"),
    "not_printed_words": (
        "{sheets} are in the file, whole, but not printed (a meeting's pages); clear a "
        "sheet's print area to print it.",
        "{sheets}完整保留在文件中，但不打印（会议用页）；如需打印，请清除该表的打印区域。",
    ),
    "check_valid": (
        "{path}: valid — {projects} projects, {regions} regions, years {first}–{last}",
        "{path}：有效——{projects}个项目，{regions}个城市，{first}–{last}年",
    ),
    "workbook_problems": (
        "the workbook has {count} problems:",
        "工作簿有 {count} 个问题：",
    ),
    "problem_sheet": ("{sheet}", "{sheet}表"),
    "problem_row": (" row {row}", "第{row}行"),
    "console_frontier": ("frontier of {lever} ({unit})", "{lever}前沿曲线（{unit}）"),
    "console_grid": ("grid of {x} × {y}", "{x} × {y}热力图"),
    "console_break_even": (
        "break-even: what forcing each project in or out costs",
        "入选门槛：强制纳入或排除各项目的代价",
    ),
    "console_draws": (
        "draws: {draws}; worker-years median {median} (5–95 %: {low}–{high})",
        "抽样：{draws}次；再就业人年中位数{median}（5%–95%分位：{low}–{high}）",
    ),
    "entry_none": (
        "No project left out would enter by more jobs alone: {never} of {count} are kept out "
        "by a limit; {within} are within solver precision of entering.",
        "没有未入选项目能仅靠增加岗位入选：{count}个中{never}个受限制约束；"
        "{within}个入选与否在求解精度内。",
    ),
    # Robustness draws the cities' baseline re-employment rates too (rate_spread).
    "robust_rates": (
        "Each city's baseline re-employment rate is drawn within ±{rate} as well.",
        "各市基准再就业率也在±{rate}内随机变动。",
    ),
    # One scenario, one figure: an answer that took a tighter scenario's better plan.
    "adopted_plan": (
        "This answer takes the plan found for a scenario with less money or more projects "
        "forced in, which showed more; re-solved here within the same precision.",
        "本结果采用了资金更少或强制入选项目更多的情景所找到的更优方案，并在同一精度内重新求解。",
    ),
    "compare_adopted": (
        "Saved answers are shown as this session now has them: {names} took a better plan "
        "after being saved.",
        "已保存的情景按本次会话的最新结果显示：{names}在保存后采用了更优方案。",
    ),
    # The command line's one line for input it cannot use.
    "cli_error": ("error: {message}", "错误：{message}"),
    # A command line argparse refuses (its usage first): Python's own words in English.
    "cli_usage": ("usage: ", "用法："),
    "cli_usage_error": ("{prog}: error: {message}", "{prog}：错误：{message}"),
    # A note on a workbook that could be read, on the command line and in the app.
    "note_line": ("note: {note}", "注意：{note}"),
    "workbook_note": ("Note on the workbook: {note}", "工作簿提示：{note}"),
    # An analysis that refused what it was asked, on the page (AnalysisError's words).
    "analysis_refused": ("The analysis was not run: {message}", "未运行该分析：{message}"),
    # The command line's other lines: input nested too deeply, a fault of the program, --json
    # with standard output closed, a run stopped past its time limit, a blank workbook.
    "cli_nested": (
        "error: the input is nested too deeply to be read",
        "错误：输入嵌套过深，无法读取",
    ),
    "cli_internal": (
        "error: internal failure ({fault}); no file was left half-written. Please report it "
        "with the command you ran",
        "错误：程序内部故障（{fault}）；没有留下写了一半的文件。请连同所运行的命令一并报告",
    ),
    "cli_stdout_closed": (
        "error: standard output is closed, so --json has nowhere to print; redirect it to a "
        "file (> result.json)",
        "错误：标准输出已关闭，--json 无处输出；请重定向到文件（> result.json）",
    ),
    "cli_overrun": (
        "error: the run went on {grace} s past its time limit of {limit} s inside the solver, "
        "which does not look at its clock in every phase of a large model; stopped with no "
        "answer and no file left half-written. Raise time_limit_s",
        "错误：求解器在大模型的某些阶段不查看时钟，运行已超出 {limit} 秒的求解时限 {grace} 秒；"
        "已停止，没有结果，也没有留下写了一半的文件。请延长求解时限",
    ),
    "template_written": ("blank workbook written to {path}", "空白工作簿已写入 {path}"),
    # A frontier's step where more money shows fewer worker-years because the objective also
    # counts other jobs (conclusions.jobs_trade).
    "frontier_jobs_trade": (
        "From {low} to {high}, worker-years re-employed read {before} → {after} while "
        "job-years grow by {gained}: the objective also counts every job-year the projects "
        "create at {weight} of a worker-year re-employed (the weight of other jobs), {weighted} "
        "worker-years' worth here, so more money can buy jobs that re-employ fewer displaced "
        "workers.",
        "从{low}到{high}，再就业人年由{before}变为{after}，而就业人年增加{gained}：目标函数还把"
        "项目创造的每个就业人年按{weight}个再就业人年计入（非分流职工岗位权重），此处折合"
        "{weighted}人年，因此资金增加后，方案可能换上岗位更多、但再就业的分流职工更少的项目。",
    ),
    "frontier_trade_within": (
        "The fall is within solver precision (± {bound}): the plans may equally be alike in "
        "worker-years.",
        "该降幅在求解精度（± {bound}）之内：两个方案的再就业人年也可能并无差别。",
    ),
    "frontier_trade_steps": (
        "{steps} steps of this frontier show such a fall; this is the largest.",
        "本前沿曲线有{steps}步出现这种下降，此为最大的一步。",
    ),
    "frontier_trade_fix": (
        "To compare plans on worker-years alone, set the weight of other jobs to 0.",
        "如只按再就业人年比较方案，请把非分流职工岗位权重设为0。",
    ),
    # The value of each limit: families tested together first (limit_values' `alone`).
    "limit_values_family_note": (
        "Where all the limits of one kind ({families}), each 10 % larger at once, bought "
        "nothing beyond the precision, they were not re-solved one by one: none of them "
        "alone can buy more than all of them together.",
        "同类限制（{families}）同时各放宽10%仍未带来超出求解精度的新增时，不再逐项重新求解："
        "单项放宽的效果不会超过同类全部放宽。",
    ),
    # How a solve searched (Solution.strategy), issue 19.
    "solve_strategy": ("Solve strategy", "求解策略"),
    # A solve that ended on a deterministic work limit (solver.WorkMeter), issue 19.
    "work_limited": (
        "Stopped at the work limit: the best portfolio found is within {gap} of the best "
        "possible (solver precision). The limit counts work, not time: the same answer on "
        "any machine.",
        "达到计算量上限：当前方案与理论最优之差在求解精度 {gap} 以内。该上限按计算量而非时间"
        "计算，任何机器上结果相同。",
    ),
}

# ---------------------------------------------------------------------------- table headers

COLUMNS: dict[str, Pair] = {
    # Version 3 (docs/model.md): exposure, training, pace of layoffs, monitoring.
    "exposure": ("Exposure: worker-years jobless without the programme", "无项目时失业人年"),
    "exposure_worker_years": ("Exposure (worker-years)", "暴露人年（无项目时失业人年）"),
    "jobless": ("Jobless displaced workers", "未就业分流职工"),
    "jobless_worker_years": ("Jobless worker-years left", "剩余失业人年"),
    "laid_off": ("Laid off (persons)", "分流人数"),
    "trainees": ("Trainees (persons)", "培训人数"),
    "trainable_jobs": ("Jobs open after training", "经培训可胜任岗位"),
    "reemployed_direct": ("Re-employed directly (persons)", "直接再就业（人）"),
    "reemployed_trained": ("Re-employed after training (persons)", "培训后再就业（人）"),
    "construction_worker_years": ("Worker-years in construction jobs", "建设期再就业人年"),
    "operating_worker_years": ("Worker-years in lasting jobs", "运营期（长期）再就业人年"),
    "training_spend": ("Training spend (亿元)", "培训支出（亿元）"),
    "training_budget": ("Training budget (亿元)", "职业技能培训资金（亿元）"),
    "public_money": ("Public money in the horizon (亿元)", "规划期内财政资金（亿元）"),
    "public_money_per_worker_year": (
        "Public money per re-employed worker-year (万元)",
        "每再就业人年财政资金（万元）",
    ),
    "planned_year": ("Planned layoff year", "计划分流年份"),
    "earliest_year": ("Earliest exit year", "最早退出年份"),
    "latest_year": ("Latest exit year", "最晚退出年份"),
    "moved": ("Moved from the plan", "调整分流年份"),
    "jobless_share": ("Share of exposure still jobless", "未就业占比"),
    "industry": ("Exiting industry", "退出行业"),
    "without_programme": ("Jobless at the end without the programme", "无项目时期末失业人数"),
    # Version 3's tables on the page and in the Excel shortlist (layoffs, training, money).
    "planned": ("Planned (persons)", "计划分流人数"),
    "recommended": ("Advised (persons)", "建议分流人数"),
    "jobless_at_end": ("Jobless at the end (persons)", "期末仍未就业人数"),
    "planned_short": ("planned", "计划"),
    "recommended_short": ("advised", "建议"),
    "project_id": ("Project ID", "项目编号"),
    "name": ("Name", "项目名称"),
    "sector": ("Sector", "行业"),
    "region": ("City", "城市"),
    "capex": ("Capex (亿元)", "投资额（亿元）"),
    "budget_money": ("Budget money (亿元)", "一般公共预算资金（亿元）"),
    "bond_money": ("Bond money (亿元)", "专项债券资金（亿元）"),
    "private_money": ("Social capital (亿元)", "社会资本（亿元）"),
    "ppp_annual_payment": ("PPP payment (亿元/year)", "PPP年度财政支出责任（亿元/年）"),
    "ppp_mechanism": ("PPP mechanism", "PPP回报机制"),
    "duration_years": ("Build years", "建设年限"),
    "skill_match": ("Skill match", "技能匹配度"),
    "build_jobs": ("Jobs while built", "建设期岗位"),
    "operating_jobs": ("Jobs once running", "运营期岗位"),
    "job_years": ("Job-years", "就业人年"),
    "open_job_years": ("Job-years open to displaced workers", "可吸纳分流职工人年"),
    "worker_years": ("Worker-years re-employed", "再就业人年"),
    "displaced_worker_years": ("Worker-years displaced", "分流职工人年"),
    "jobs_per_yi": ("Jobs per 亿元 per build year", "每亿元建设期年均岗位"),
    "source": ("Jobs source, in full", "就业数据来源（全文）"),
    "jobs_source": ("Jobs source", "就业数据来源"),
    "basis": ("Basis (S/R/E)", "依据（S/R/E）"),
    "jobs": ("Jobs", "就业岗位"),
    "open_jobs": ("Jobs open to displaced workers", "可吸纳分流职工岗位"),
    "reemployed": ("Re-employed displaced workers (persons)", "再就业分流职工（人）"),
    "reemployed_share": ("Share of the displaced re-employed", "再就业比例"),
    "displaced_stock": ("Displaced by then", "累计分流职工"),
    "ppp_payments": ("PPP payments (亿元)", "PPP财政支出责任（亿元）"),
    "ppp_ratio_before": ("Existing PPP ratio", "既有财政支出责任比例"),
    "ppp_note": ("PPP lines", "PPP红线说明"),
    "start_year": ("Start", "开工年份"),
    "finish_year": ("Finish", "完工年份"),
    "reason": ("Reason", "未入选原因"),
    "break_even_jobs": (
        "More jobs it would need (persons, each build year)",
        "入选所需新增岗位（人，建设期年均）",
    ),
    "year": ("Year", "年份"),
    "capex_spend": ("Spend (亿元)", "支出（亿元）"),
    "budget_spend": ("Budget spend (亿元)", "预算支出（亿元）"),
    "fiscal_budget": ("Fiscal budget (亿元)", "财政预算（亿元）"),
    "bond_spend": ("Bond spend (亿元)", "专项债券支出（亿元）"),
    "bond_quota": ("Bond quota (亿元)", "新增专项债券额度（亿元）"),
    "private_spend": ("Social capital spend (亿元)", "社会资本支出（亿元）"),
    "projects_running": ("Projects running", "在建项目数"),
    "projects_starting": ("Projects starting", "新开工项目数"),
    "projects": ("Projects", "项目数"),
    "displaced": ("Displaced workers", "去产能分流职工"),
    "coverage": ("Re-employed share", "再就业比例"),
    "debt_used": ("Debt used (亿元)", "新增债务（亿元）"),
    "debt_headroom": ("Debt headroom (亿元)", "债务空间（亿元）"),
    "ppp_existing": ("Existing PPP (亿元/year)", "既有财政支出责任（亿元/年）"),
    "ppp_new": ("New PPP (亿元/year)", "新增财政支出责任（亿元/年）"),
    "ppp_ratio": ("PPP ratio", "财政支出责任占一般公共预算支出比例"),
    "ppp_line": ("PPP line", "财政承受能力红线"),
    "ppp_line_amount": ("PPP line (亿元/year)", "红线对应额度（亿元/年）"),
    "ppp_room": ("Room left (亿元/year)", "剩余空间（亿元/年）"),
    "general_budget_expenditure": ("General budget spending (亿元)", "一般公共预算支出（亿元）"),
    "share": ("Share of capex", "投资占比"),
    "min_share": ("Min share", "最低占比"),
    "max_share": ("Max share", "最高占比"),
    "family": ("Limit", "约束"),
    "key": ("About", "对象"),
    "limit_words": ("Limit", "约束"),
    "use": ("Used", "已用"),
    "limit": ("Limit amount", "限额"),
    "slack": ("Room left", "剩余空间"),
    "use_share": ("Used", "使用率"),
    "unit": ("Unit", "单位"),
    "lever": ("Lever", "调节项"),
    "amount": ("Lever amount", "调节量"),
    "setting": ("Setting", "设定值"),
    "status": ("Status", "求解状态"),
    "objective": ("Objective", "目标值"),
    "gap": ("Solver precision", "求解精度"),
    "seconds": ("Seconds", "用时（秒）"),
    "current": ("Current", "当前设定"),
    "marginal_worker_years": ("Extra worker-years per unit", "每单位新增再就业人年"),
    "marginal_job_years": ("Extra job-years per unit", "每单位新增就业人年"),
    "item": ("Item", "项目"),
    "value": ("Value", "数值"),
    "objective_change": ("Worker-years lost if forced in", "强制纳入损失的目标值"),
    "extra_jobs_needed": (
        "More jobs it would need (persons, each build year)",
        "入选所需新增岗位（人，建设期年均）",
    ),
    "within_gap": ("Within solver precision", "在求解精度内"),
    "in_portfolio": ("Chosen", "已入选"),
    "frequency": ("Chosen in share of draws", "入选频率"),
    "class": ("Class", "类别"),
    "change": ("Change", "变化"),
    "about": ("About", "对象"),
    "set": ("Set", "当前设定"),
    "needed": ("Needed", "所需"),
    "message": ("What to move", "调整建议"),
    "sheet": ("Sheet", "工作表"),
    "problem": ("Problem", "问题"),
    "row": ("Row", "行"),
    "column": ("Column", "列"),
    "input": ("Input", "输入"),
    "draws": ("Draws", "抽样次数"),
    "worker_years_median": ("Worker-years, median", "再就业人年（中位数）"),
    "worker_years_p05": ("Worker-years, 5th percentile", "再就业人年（5%分位）"),
    "worker_years_p95": ("Worker-years, 95th percentile", "再就业人年（95%分位）"),
    "core_projects": ("Core projects", "核心项目数"),
    "borderline_projects": ("Borderline projects", "边缘项目数"),
    "outside_projects": ("Projects outside", "排除项目数"),
    "total": ("Total", "合计"),
    # The value of each limit (optimizer.limit_values), and "used up" for a solve alone.
    "used_up": ("Used up (≥ 99 %)", "已用尽（≥99%）"),
    "extra": ("10 % more", "放宽10%"),
    "worker_years_gained": ("Worker-years gained", "新增再就业人年"),
    "per_yi": ("Worker-years per 亿元", "每亿元新增再就业人年"),
    "binds": ("Binds", "起约束作用"),
    # Entry thresholds with their units (optimizer.conclusions.entry_thresholds).
    "jobs_per_yi_has": ("Jobs per 亿元 it has (each build year)", "现有每亿元岗位（建设期年均）"),
    "jobs_per_yi_needed": (
        "Jobs per 亿元 it would need (each build year)",
        "入选所需每亿元岗位（建设期年均）",
    ),
    "marginal_per": ("Extra worker-years per {unit}", "每增加1{unit}新增再就业人年"),
    "marginal_job_per": ("Extra job-years per {unit}", "每增加1{unit}新增就业人年"),
    "jobs_to_spare": (
        "Jobs it has to spare (persons, each build year)",
        "可减少岗位（人，建设期年均）",
    ),
    # A frontier's other part of the objective (with a weight of other jobs).
    "weighted_job_years": (
        "Job-years × weight of other jobs (worker-years' worth)",
        "就业人年×非分流职工岗位权重（折合人年）",
    ),
    # How the robustness draws ended (Robustness.summary): proven, or on which limit.
    "draws_proven": ("Draws proven within their gap", "在求解精度内求得最优的抽样"),
    "draws_work_limit": ("Draws stopped at the work limit", "达到计算量上限的抽样"),
    "draws_time_limit": ("Draws stopped at the time limit", "达到求解时限的抽样"),
}

SHEETS: dict[str, Pair] = {
    "summary": ("Summary", "摘要"),
    "shortlist": ("Shortlist", "入选项目"),
    "not_chosen": ("Not chosen", "未入选项目"),
    "by_year": ("By year", "分年度"),
    "by_city": ("By city", "分城市"),
    "by_sector": ("By sector", "分行业"),
    "limits": ("Limits", "约束"),
    "frontier": ("Frontier", "前沿"),
    "scenario": ("Scenario", "情景"),
    # Version 3: the pace of layoffs and the training, a sheet each.
    "layoffs": ("Layoffs", "分流安置节奏"),
    "training": ("Training", "培训人数"),
}

# ---------------------------------------------------------------------------- names

SECTOR_NAMES: dict[str, Pair] = {
    "transport": ("transport", "交通"),
    "telecom": ("telecom", "通信"),
    "energy": ("energy", "能源"),
    "urban_renewal": ("urban renewal", "城市更新"),
}
# The industries whose capacity exit displaces workers (schema.INDUSTRIES).
INDUSTRY_NAMES: dict[str, Pair] = {
    "coal": ("coal", "煤炭"),
    "steel": ("steel", "钢铁"),
    "chemicals": ("chemicals", "化工"),
    "cement": ("cement", "水泥"),
    "flat_glass": ("flat glass", "平板玻璃"),
}
MECHANISM_NAMES: dict[str, Pair] = {
    "government_pay": ("government pay", "政府付费"),
    "viability_gap": ("viability-gap funding", "可行性缺口补助"),
    "user_pay": ("user pay", "使用者付费"),
}
STATUSES: dict[str, Pair] = {
    "optimal": ("optimal", "最优"),
    "time_limit": ("stopped at the time limit", "达到求解时限"),
    "work_limit": ("stopped at the work limit", "达到计算量上限"),
    "infeasible": ("no portfolio", "无可行方案"),
    "error": ("solver error", "求解出错"),
    "not solved": ("not solved", "未求解"),
}
# How a solve searched (optimizer.strategies; Scenario.solve_strategy), issue 19.
STRATEGY_NAMES: dict[str, Pair] = {
    "auto": ("chosen by size", "按规模选择"),
    "search": ("whole-model search", "整体模型搜索"),
    "lp_submip": (
        "relaxation, then a search on the undecided projects",
        "先解松弛问题，再搜索未定项目",
    ),
    # Blocks of projects solved one by one, the gap proven by prices (optimizer.blocks).
    "blocks": (
        "blocks of projects solved one by one, proven against a priced bound",
        "分块逐一求解，按影子价格界证明差距",
    ),
}
LEVER_NAMES: dict[str, Pair] = {
    "fiscal_budget": ("fiscal budget, all years", "财政预算（各年合计）"),
    "bond_quota": ("bond quota, all years", "新增专项债券额度（各年合计）"),
    "debt_headroom": ("debt headroom, all cities", "债务空间（各市合计）"),
    "ppp_line": ("PPP line, all cities", "PPP财政承受能力红线（各市合计）"),
    "commute_km": ("commuting distance", "通勤距离"),
    # Version 3: the training budget as a frontier lever.
    "training_budget": ("training budget, all years", "职业技能培训资金（各年合计）"),
}
UNITS: dict[str, Pair] = {
    "亿元": ("亿元", "亿元"),
    "亿元/year": ("亿元/year", "亿元/年"),
    "km": ("km", "公里"),
    "project": ("projects", "个项目"),
    "persons": ("persons", "人"),
    "worker-years": ("worker-years", "人年"),
    "": ("", ""),
}
# A limit in a planner's words: {key} is the year, the city, the sector or the project.
LIMIT_NAMES: dict[str, Pair] = {
    "forced_in": ("{key} must be in (mandatory or forced in)", "{key}必须入选（必建或强制纳入）"),
    "forced_out": ("{key} must stay out", "{key}须排除"),
    "exclusive_group": ("At most one variant of scheme {key}", "方案组{key}至多选一"),
    "fiscal_budget": ("Fiscal budget {key}", "{key}年财政预算"),
    "bond_quota": ("Bond quota {key}", "{key}年新增专项债券额度"),
    "debt_headroom": ("{key}'s debt headroom", "{key}债务空间"),
    "ppp_line": (
        "{key}'s room under the PPP line ({line} of general budget spending)",
        "{key}PPP财政承受能力红线内空间（一般公共预算支出的{line}）",
    ),
    "government_pay_line": (
        "{key}'s whole PPP ratio under the {line} line its government-pay projects need",
        "{key}PPP财政支出责任占比不超过{line}（新上政府付费项目的条件）",
    ),
    "sector_min": ("{key}: minimum share of capex", "{key}投资占比下限"),
    "sector_max": ("{key}: maximum share of capex", "{key}投资占比上限"),
    "ppp_share_min": ("Social capital: minimum share of capex", "社会资本投资占比下限"),
    "ppp_share_max": ("Social capital: maximum share of capex", "社会资本投资占比上限"),
    "coverage_floor": ("{key}: minimum re-employed share", "{key}最低再就业比例"),
    "ppp_closed": (
        "{key}: no new PPP project (existing commitments above the {line} line)",
        "{key}既有PPP财政支出责任超过{line}红线，严禁新项目入库",
    ),
    "training_budget": ("Training budget {key}", "{key}年职业技能培训资金"),
    "layoff_cap": ("Mass-layoff cap, {key}", "{key}分流人数上限（防止规模性裁员）"),
    "years": ("Planning years", "规划年份"),
}
# A limit's family, without its key (the Summary lists the keys after it).
FAMILY_NAMES: dict[str, Pair] = {
    "forced_in": ("Mandatory or forced-in projects", "必建或强制纳入项目"),
    "forced_out": ("Projects forced out", "强制排除项目"),
    "exclusive_group": ("At most one variant per scheme", "同一方案组至多选一"),
    "fiscal_budget": ("Fiscal budget used up in", "财政预算用尽的年份"),
    "bond_quota": ("Bond quota used up in", "新增专项债券额度用尽的年份"),
    "debt_headroom": ("Debt headroom used up in", "债务空间用尽的城市"),
    "ppp_line": (
        "No room under the PPP line in (existing ratio / line)",
        "PPP财政承受能力红线内无空间的城市（既有比例/红线）",
    ),
    "government_pay_line": (
        "No room for government-pay PPP projects in (existing ratio / line)",
        "政府付费PPP项目无空间的城市（既有比例/红线）",
    ),
    "sector_min": ("Sector at its minimum share", "达到投资占比下限的行业"),
    "sector_max": ("Sector at its maximum share", "达到投资占比上限的行业"),
    "ppp_share_min": ("Social capital at its minimum share", "社会资本占比达到下限"),
    "ppp_share_max": ("Social capital at its maximum share", "社会资本占比达到上限"),
    "coverage_floor": ("Cities at the minimum re-employed share", "达到最低再就业比例的城市"),
    "ppp_closed": ("Cities above the PPP line: no new PPP", "超过PPP红线、严禁新项目入库的城市"),
    "training_budget": ("Training budget used up in", "培训资金用尽的年份"),
    "layoff_cap": ("Mass-layoff cap reached in", "达到分流人数上限的城市与年份"),
}
# The diagnosis of an infeasible scenario, for the limits a planner moves most; other
# conflicts keep the diagnosis's own sentence (English; Chinese where given here).
CONFLICTS: dict[str, Pair] = {
    "_numbers": ("", "{limit}：当前设定 {set:,.2f} {unit}，需要 {needed:,.2f} {unit}"),
    "_words": ("", "{limit}与其他约束冲突（{message}）"),
    "fiscal_budget": (
        "",
        "{key}年财政预算需 {needed:,.1f} 亿元，当前设定 {set:,.1f} 亿元（需增加 {move:,.1f} 亿元）",
    ),
    "bond_quota": (
        "",
        "{key}年新增专项债券额度需 {needed:,.1f} 亿元，当前设定 {set:,.1f} 亿元"
        "（需增加 {move:,.1f} 亿元）",
    ),
    "debt_headroom": (
        "",
        "{place}债务空间需 {needed:,.1f} 亿元，现有 {set:,.1f} 亿元（需增加 {move:,.1f} 亿元）",
    ),
    "ppp_line": (
        "",
        "{place}新增PPP财政支出责任需 {needed:,.2f} 亿元/年，红线内剩余 {set:,.2f} 亿元/年"
        "（提高红线或减少该市PPP项目）",
    ),
    "coverage_floor": (
        "",
        "{place}须再就业 {set:,.0f} 名分流职工，在其他约束下最多 {needed:,.0f} 名"
        "（降低各市最低再就业比例）",
    ),
}
# Why a project is left out, beyond REASON_NAMES: the objective, read with the
# break-even analysis when it has been run.
REASON_EXTRA: dict[str, Pair] = {
    "within_precision": (
        "forcing it in costs less than the solver's precision",
        "入选与否的差别在求解精度内",
    ),
    "objective_jobs": (
        "other projects re-employ more within the limits; it would need {jobs} more jobs to enter",
        "在约束内其他项目带来更多再就业；需再增加 {jobs} 个岗位方可入选",
    ),
    "objective_never": (
        "other projects re-employ more within the limits; no number of jobs brings it in",
        "在约束内其他项目带来更多再就业；增加岗位也无法入选",
    ),
}
# The diagnosis in English, by (family, cause) or cause alone: {key} is the limit's year,
# city or sector, {set}/{needed} its numbers, the rest the conflict's facts.
CONFLICT_WORDS: dict[str, str] = {
    "no_years": "the workbook has no planning years",
    "cannot_start": (
        "mandatory project {project} cannot start and finish within {horizon} ({duration} "
        "years, earliest start {earliest}, latest start {latest}): change its dates or make it "
        "optional"
    ),
    "user_pay_only": (
        "mandatory PPP project {project} can start only from {year}, when a new PPP must be "
        "user-pay with no annual payment (State Council General Office, 2023 No. 115): allow "
        "an earlier start, make it user-pay, or make it optional"
    ),
    "requires_unavailable": (
        "mandatory project {project} requires {required}, which cannot be chosen (excluded, or "
        "it cannot start in the horizon)"
    ),
    "variants": (
        "{projects} are all mandatory but are variants of one scheme (exclusive group {key}): "
        "keep one"
    ),
    "sector_min/no_candidates": (
        "the {key} sector must have at least {set:.0%} of the capex but no {key} project can be "
        "chosen: set its minimum share to 0"
    ),
    "ppp_share_min/no_candidates": (
        "a least share of social capital is set but no project that can be chosen has any: "
        "set ppp_min_share to 0"
    ),
    "no_reach": (
        "{key}: {set:.0%} of its displaced workers must be re-employed but no project that can "
        "be chosen lies within commuting reach: lower the minimum re-employed share per city "
        "or raise the commuting distance"
    ),
    "diagnosis_failed": "the limits conflict, but the diagnosis failed ({detail})",
    "fiscal_budget/mandatory": (
        "mandatory projects need {forced:,.1f} 亿元 of fiscal budget in {key}; {set:,.1f} 亿元 "
        "is set"
    ),
    "bond_quota/mandatory": (
        "mandatory projects need {forced:,.1f} 亿元 of bond quota in {key}; {set:,.1f} 亿元 "
        "is set"
    ),
    "fiscal_budget/portfolio": (
        "the portfolio needs {needed:,.1f} 亿元 of fiscal budget in {key} to meet the other "
        "limits; {set:,.1f} 亿元 is set (raise it by {move:,.1f} 亿元)"
    ),
    "bond_quota/portfolio": (
        "the portfolio needs {needed:,.1f} 亿元 of bond quota in {key} to meet the other "
        "limits; {set:,.1f} 亿元 is set (raise it by {move:,.1f} 亿元)"
    ),
    "debt_headroom/portfolio": (
        "{key} needs {needed:,.1f} 亿元 of debt headroom; {set:,.1f} 亿元 is available (raise it "
        "by {move:,.1f} 亿元)"
    ),
    "ppp_line/portfolio": (
        "{key}'s new PPP payments need {needed:,.2f} 亿元/year; the {line:.0%} line leaves "
        "{set:,.2f} 亿元/year (raise the line or drop PPP projects there)"
    ),
    "government_pay_line/portfolio": (
        "{key}'s new government-pay PPP payments need {needed:,.2f} 亿元/year; the {line:.0%} "
        "line leaves {set:,.2f} 亿元/year (drop government-pay projects there or change their "
        "mechanism)"
    ),
    "sector_min/portfolio": (
        "the {key} sector must have at least {set:.0%} of the capex, but the portfolio that "
        "fits the other limits has {needed:.1%} ({move:,.1f} 亿元 off): lower that share"
    ),
    "sector_max/portfolio": (
        "the {key} sector must have at most {set:.0%} of the capex, but the portfolio that "
        "fits the other limits has {needed:.1%} ({move:,.1f} 亿元 off): raise that share"
    ),
    "ppp_share_min/portfolio": (
        "the social-capital share limit {setting} = {set:.0%} cannot be met ({move:,.1f} 亿元 off)"
    ),
    "ppp_share_max/portfolio": (
        "the social-capital share limit {setting} = {set:.0%} cannot be met ({move:,.1f} 亿元 off)"
    ),
    "coverage_floor/portfolio": (
        "{key}: {set:,.0f} worker-years of its displaced workers must be re-employed "
        "(minimum re-employed share {share:.0%}) but at most {needed:,.0f} can be within the other "
        "limits"
    ),
    "forced_in/portfolio": (
        "mandatory project {project} cannot be included within the other limits: drop it or "
        "move the limits it strains"
    ),
    "forced_out/portfolio": (
        "excluded project {project} would have to be included (a mandatory project requires it)"
    ),
    "move": "{family} {key}: move by {move:,.2f} {unit}",
}
# Why a project is left out (solution.REASON_CODES), most specific first.
REASON_NAMES: dict[str, Pair] = {
    "excluded": ("excluded in the workbook", "工作簿中已排除"),
    "forced_out": ("forced out by the scenario", "情景设定排除"),
    "cannot_finish": ("cannot finish inside the planning years", "规划期内无法完工"),
    "variant_chosen": ("its variant is chosen", "同组方案已入选"),
    "prerequisite_out": ("its prerequisite is left out", "前置项目未入选"),
    "user_pay_only": (
        "from {year} a new PPP must be user-pay with no annual payment (State Council "
        "General Office, 2023 No. 115), and no earlier start year is left",
        "{year}年起新增PPP项目须为使用者付费且无政府年度支付（国办函〔2023〕115号），"
        "且无更早开工年份可选",
    ),
    "ppp_over_line": (
        "{city}'s existing PPP commitments are above the {line:.0%} line: no new PPP project "
        "of any kind",
        "{city}既有PPP财政支出责任已超过{line:.0%}红线，严禁新项目入库",
    ),
    "government_pay_over_line": (
        "{city}'s existing PPP commitments are above the {line:.0%} line for government-pay "
        "projects",
        "{city}既有PPP财政支出责任已超过{line:.0%}，不得新上政府付费项目",
    ),
    "ppp_room_used": (
        "{city}'s room under the {line:.0%} PPP line is used up",
        "{city}PPP财政支出责任{line:.0%}红线内空间已用尽",
    ),
    "ppp_outlay_room_used": (
        "{city}'s PPP commitments with the budget money put into PPPs while they are built "
        "would pass the {line:.0%} line in a planning year",
        "计入PPP项目建设期财政投入后，{city}某一规划年度的PPP财政支出责任将超过{line:.0%}红线",
    ),
    "government_pay_room_used": (
        "{city}'s whole PPP ratio would pass the {line:.0%} line that government-pay projects "
        "need (Ministry of Finance, 2019 No. 10)",
        "{city}PPP财政支出责任占比将超过{line:.0%}，不得新上政府付费项目（财金〔2019〕10号）",
    ),
    "debt_used": ("{city}'s debt headroom is used up", "{city}债务空间已用尽"),
    "budget_used": (
        "the fiscal budget is used up in a year it would be built or paid for",
        "其建设或付费年份的一般公共预算支出额度已用尽",
    ),
    "bond_quota_used": (
        "the bond quota is used up in a year it would be built",
        "其建设年份的新增专项债券额度已用尽",
    ),
    "objective": (
        "other projects re-employ more within the limits",
        "在约束内其他项目带来更多再就业",
    ),
}
# A city's PPP standing (solution.ppp_standing's ppp_code) in words.
PPP_NOTES: dict[str, Pair] = {
    "over_line_before": (
        "existing PPP commitments ({before:.1%}) already exceed the {cap:.0%} line: no new PPP "
        "project of any kind can be added",
        "既有PPP财政支出责任（{before:.1%}）已超过{cap:.0%}红线，不能新增PPP项目",
    ),
    "over_government_pay_before": (
        "existing PPP commitments ({before:.1%}) already exceed the {pay:.0%} line: no new "
        "government-pay projects; viability-gap ones up to the {cap:.0%} line",
        "既有PPP财政支出责任（{before:.1%}）已超过{pay:.0%}，不得新上政府付费项目；"
        "可行性缺口补助项目仍可在{cap:.0%}红线内新增",
    ),
    "warning": (
        "above the {warn:.0%} warning level (预警), not a limit",
        "超过{warn:.0%}预警线（仅预警，不作限制）",
    ),
}
CLASSES: dict[str, Pair] = {
    "core": ("core", "核心"),
    "borderline": ("borderline", "边缘"),
    "outside": ("outside", "排除"),
}
# The inputs two scenarios can differ in (Scenario field → words).
INPUTS: dict[str, Pair] = {
    "name": ("Name", "名称"),
    "fiscal_budget": ("Fiscal budget by year", "各年财政预算"),
    "fiscal_budget_scale": ("Fiscal budget scale", "财政预算倍数"),
    "bond_quota": ("Bond quota by year", "各年新增专项债券额度"),
    "bond_quota_scale": ("Bond quota scale", "新增专项债券额度倍数"),
    "debt_headroom_scale": ("Debt headroom scale", "债务空间倍数"),
    "ppp_cap_share": ("PPP line", "PPP财政承受能力红线"),
    "ppp_government_pay_share": ("Government-pay line", "政府付费项目红线"),
    "commute_km": ("Commuting distance (km)", "通勤距离（公里）"),
    "other_jobs_weight": ("Weight of other jobs", "非分流职工岗位权重"),
    "min_coverage_share": ("Minimum re-employed share per city", "各市最低再就业比例"),
    "sector_min_share": ("Sector minimum shares", "行业投资占比下限"),
    "sector_max_share": ("Sector maximum shares", "行业投资占比上限"),
    "forced_in": ("Projects forced in", "强制纳入项目"),
    "forced_out": ("Projects forced out", "强制排除项目"),
    "time_limit_s": ("Solver time limit (s)", "求解时限（秒）"),
    "mip_gap": ("Solver precision asked", "要求的求解精度"),
    "discount_rate": ("Discount rate", "贴现率"),
    # The other scenario fields, as a scenario's problem names them (SCENARIO_PROBLEMS).
    "ppp_min_share": ("PPP minimum share", "社会资本投资占比下限"),
    "ppp_max_share": ("PPP maximum share", "社会资本投资占比上限"),
    "ppp_warning_share": ("PPP warning line", "PPP预警线"),
    "layoff_year_exposure": ("Exposure in the layoff year", "分流当年计入的暴露比例"),
    "baseline_reemployment_rate": ("Re-employment without projects", "无项目时的再就业率"),
    "trained_skill_match": ("Skill match after training", "培训后的技能匹配度"),
    "training_cost": ("Training cost per worker", "人均培训成本"),
    "training_lag_years": ("Years training takes", "培训所需年数"),
    "pace_layoffs": ("Model paces the layoffs", "由模型安排分流年份"),
    "ppp_user_pay_only_from": ("User-pay only from", "仅限使用者付费的起始年份"),
    "monitoring_share": ("Close-monitoring line", "重点监控线"),
    "training_budget": ("Training budget by year", "各年培训预算"),
    "training_budget_scale": ("Training budget scale", "培训预算倍数"),
    "solver": ("Solver", "求解器"),
    "workbook_fingerprint": ("Workbook fingerprint", "工作簿指纹"),
    # How a solve searches (issue 19).
    "solve_strategy": ("Solve strategy", "求解策略"),
}
# A workbook's problem (optimizer.loader.Problem's code) in words; the English is the
# loader's own message, word for word (a test holds the two together).
PROBLEMS: dict[str, Pair] = {
    "not_number": ("must be a number, got {got}", "须为数字，实际为 {got}"),
    "not_number_text": ("must be a number, got '{got}'", "须为数字，实际为“{got}”"),
    "date_not_number": ("must be a number, got a date or time", "须为数字，实际为日期或时间"),
    "not_finite": ("must be a finite number, got {got}", "须为有限数值，实际为 {got}"),
    "decimal_comma": (
        "'{got}' is not a number this file can read without guessing: a comma is read only "
        "between groups of three digits (1,234); write a decimal with a point (10.1), not a "
        "comma",
        "“{got}”无法无歧义地读作数字：逗号只用作千位分隔（1,234）；小数请用小数点（10.1），"
        "不要用逗号",
    ),
    "yes_no": (
        "must be yes or no (y/n, true/false, 1/0, 是/否), got '{got}'",
        "须为是或否（是/否、1/0），实际为“{got}”",
    ),
    "formula": (
        "holds a formula ({formula}) with no saved value; open the file in Excel or "
        "LibreOffice and save it, which stores the values",
        "含有未保存计算结果的公式（{formula}）；请在表格软件中打开并保存该文件，以保存计算结果",
    ),
    "choice": ("must be one of {choices}, got '{got}'", "须为以下之一：{choices}，实际为“{got}”"),
    "huge_number": (
        "must be {bounds}, got a number of {digits:,} digits",
        "须为{bounds}，实际为一个 {digits:,} 位的数字",
    ),
    "not_whole": ("must be a whole number, got {got}", "须为整数，实际为 {got}"),
    "below_bound": ("must be {sign} {low}, got {got}", "须 {sign} {low}，实际为 {got}"),
    "out_of_bounds": ("must be {bounds}, got {got}", "须为{bounds}，实际为 {got}"),
    "no_header": ("the sheet has no header row", "该工作表没有表头行"),
    "twice": ("this column appears twice", "该列出现了两次"),
    "missing_column": ("required column is missing", "缺少必填列"),
    "empty": ("is empty", "为空"),
    "duplicate": (
        "'{value}' appears twice (also row {other_row})",
        "“{value}”出现两次（另见第{other_row}行）",
    ),
    "unknown_region": (
        "'{value}' is not a region in the regions sheet",
        "“{value}”不是regions表中的城市",
    ),
    "shares_sum": (
        "budget_share + bond_share + private_share must be 1, got {got}",
        "budget_share + bond_share + private_share 之和须为1，实际为 {got}",
    ),
    "start_order": (
        "latest_start {late} is before earliest_start {early}",
        "最晚开工年份 {late} 早于最早开工年份 {early}",
    ),
    "mandatory_excluded": (
        "a project cannot be both mandatory and excluded",
        "项目不能既为必建又被排除",
    ),
    "lat_lon": ("give both lat and lon, or neither", "经纬度须同时填写或同时留空"),
    "self": ("a project cannot require itself", "项目不能以自身为前置项目"),
    "unknown_project": (
        "'{value}' is not a project_id in the sheet",
        "“{value}”不是本表中的项目编号",
    ),
    "no_rows": (
        "the sheet has no rows below its header; fill in at least one",
        "该工作表表头下没有数据行；请至少填写一行",
    ),
    "years_gap": (
        "the years must be consecutive; missing {missing}",
        "年份须连续；缺少 {missing}",
    ),
    "share_order": (
        "min_share {low} is above max_share {high}",
        "投资占比下限 {low} 高于上限 {high}",
    ),
    "min_shares_sum": (
        "the minimum shares add up to {total}, more than 1",
        "各行业投资占比下限之和为 {total}，超过1",
    ),
    "after_horizon": (
        "{year} is after the last planning year {last}",
        "{year}年晚于最后一个规划年份{last}年",
    ),
    "workers_sum": (
        "{region}'s rows add up to {given:,.0f} workers, but regions gives displaced_workers "
        "{total:,.0f}",
        "{region}各行合计 {given:,.0f} 人，但regions表的分流职工数为 {total:,.0f} 人",
    ),
    "not_planning_year": (
        "{value} is not a planning year ({first}–{last})",
        "{value}不是规划年份（{first}–{last}年）",
    ),
    "window_order": (
        "earliest_year {early} is after latest_year {late}",
        "最早退出年份 {early} 晚于最晚退出年份 {late}",
    ),
    "window_starts": (
        "the window must contain the planned year {year}, but starts in {early}",
        "退出窗口须包含计划年份{year}年，但始于{early}年",
    ),
    "window_ends": (
        "the window must contain the planned year {year}, but ends in {late}",
        "退出窗口须包含计划年份{year}年，但止于{late}年",
    ),
    "settings_header": (
        "needs two columns named key and value",
        "须有名为key和value的两列",
    ),
    "setting_twice": (
        "{setting} is set twice (also row {other_row})",
        "{setting}设置了两次（另见第{other_row}行）",
    ),
    "empty_file": ("the file is empty", "文件为空"),
    "xls_or_password": (
        "this is a password-protected workbook or an old .xls file; save it as an .xlsx "
        "workbook without a password",
        "这是设有密码的工作簿或旧版.xls文件；请另存为不设密码的.xlsx工作簿",
    ),
    "not_xlsx_text": (
        "this is not an .xlsx workbook (it looks like a text or CSV file); open it in Excel "
        "and save it as .xlsx",
        "这不是.xlsx工作簿（看起来是文本或CSV文件）；请在Excel中打开并另存为.xlsx",
    ),
    "damaged": (
        "the .xlsx file is damaged (not a readable zip archive)",
        ".xlsx文件已损坏（不是可读的压缩包）",
    ),
    "not_xlsx_zip": (
        "this zip file is not an .xlsx workbook (no xl/workbook.xml inside)",
        "该压缩文件不是.xlsx工作簿（其中没有xl/workbook.xml）",
    ),
    "missing_sheet": ("required sheet is missing", "缺少必需的工作表"),
    "cycle": ("requirements form a cycle: {path}", "前置项目形成循环：{path}"),
    "ppp_shares": (
        "ppp_min_share must not exceed ppp_max_share",
        "社会资本投资占比下限不得高于上限",
    ),
    # Row limits, huge numbers at sheet level, look-alike sheets and ids, and the checks on
    # a PlanningData built in Python.
    "too_many_rows": (
        "sheet '{title}' has more than {most:,} rows",
        "工作表“{title}”超过 {most:,} 行",
    ),
    "declares_rows": (
        "sheet '{title}' declares {declared:,} rows; at most {most:,} are read",
        "工作表“{title}”声明了 {declared:,} 行；最多读取 {most:,} 行",
    ),
    "huge_in_sheet": (
        "sheet '{title}' holds a number of thousands of digits, past every bound the contract "
        "has; correct it",
        "工作表“{title}”中有一个数千位的数字，超出所有允许范围；请更正",
    ),
    "huge_below_row": (
        "sheet '{title}' below row {row} holds a number of thousands of digits, past every "
        "bound the contract has; correct it",
        "工作表“{title}”第{row}行之后有一个数千位的数字，超出所有允许范围；请更正",
    ),
    "sheets_alike": (
        "the sheets {shown} both read as the {name} sheet; keep one (delete or rename the "
        "other)",
        "工作表{shown}都会被读作{name}表；请只保留一个（删除或重命名另一个）",
    ),
    "ids_alike": (
        "'{value}' looks the same as '{other}' in row {other_row} but differs in invisible or "
        "full-width characters (marked <U+…>); give them visibly different ids",
        "“{value}”与第{other_row}行的“{other}”看起来相同，但含有不可见或全角字符"
        "（标为<U+…>）；请使用看得出区别的编号",
    ),
    "table_column_missing": (
        "column is missing (load_workbook fills every contract column; a table built in "
        "Python needs them all)",
        "缺少该列（load_workbook会补齐约定的每一列；在Python中构建的表须包含全部列）",
    ),
    "table_not_numbers": (
        "must hold numbers, not {dtype} values (first: {first}); convert it with pd.to_numeric",
        "须为数值，实际为{dtype}类型（第一个值：{first}）；请用pd.to_numeric转换",
    ),
    "table_not_yes_no": ("must hold True/False, not {dtype}", "须为True/False，实际为{dtype}类型"),
    "table_choice": (
        "must be one of {choices}, got {got}",
        "须为以下之一：{choices}，实际为 {got}",
    ),
    "more_rows": ("… and {more} more rows", "……另有 {more} 行"),
    "table_not_frame": (
        "must be a pandas DataFrame, got {got}",
        "须为pandas DataFrame，实际为 {got}",
    ),
    "table_no_rows": ("the table has no rows", "该表没有数据行"),
    "settings_not_dict": ("must be a dict of setting values", "须为设置值的字典（dict）"),
    # The workbook's file itself.
    "text_file": ("expected a binary file, got text", "须为二进制文件，实际为文本"),
    "file_not_found": ("file not found: {path}", "找不到文件：{path}"),
    "file_is_folder": ("{path} is a folder", "{path} 是文件夹"),
    "file_unreadable": ("cannot read {path}: {reason}", "无法读取 {path}（{reason}）"),
}
# A scenario's problem (optimizer.scenario.ScenarioError's parts) in words; the English is
# the scenario's own message, word for word (a test holds the two together). {field} is a
# scenario field, said by its name in English and by its INPUTS label in Chinese.
SCENARIO_PROBLEMS: dict[str, Pair] = {
    "json_too_deep": (
        "the scenario JSON is nested too deeply to be a scenario (a scenario's values are "
        "numbers, texts, lists and one level of objects)",
        "情景JSON嵌套过深，不是情景文件（情景的值只有数字、文本、列表和一层对象）",
    ),
    "not_json": (
        "the scenario is not valid JSON: {reason}: line {line} column {column} (char {char})",
        "情景不是有效的JSON：第{line}行第{column}列（第{char}个字符）{reason}",
    ),
    "not_object": ("the scenario JSON must be an object", "情景JSON须为一个对象（{{…}}）"),
    "field_not_number": ("{field} must be a number, got {got}", "{field}须为数字，实际为 {got}"),
    "field_not_object": (
        "{field} must be an object such as {example}, got {got}",
        "{field}须为形如 {example} 的对象，实际为 {got}",
    ),
    "not_a_year": ("{field}: '{got}' is not a year", "{field}：“{got}”不是年份"),
    "field_not_ids": (
        "{field} must be a list of project ids, got {got}",
        "{field}须为项目编号列表，实际为 {got}",
    ),
    "field_not_text": ("{field} must be text, got {got}", "{field}须为文本，实际为 {got}"),
    "field_huge": (
        "{field} must be {bounds}, got a number of {digits:,} digits",
        "{field}须为{bounds}，实际为一个 {digits:,} 位的数字",
    ),
    "field_negative": ("{field} must be ≥ 0, got {got}", "{field}须 ≥ 0，实际为 {got}"),
    "field_share": (
        "{field} must be between 0 and 1, got {got}",
        "{field}须在 0 与 1 之间，实际为 {got}",
    ),
    "field_above": ("{field} must be ≤ {high}, got {got}", "{field}须 ≤ {high}，实际为 {got}"),
    "time_limit": ("{field} must be > 0, got {got}", "{field}须 > 0，实际为 {got}"),
    "year_too_large": (
        "{field} for {year} must be 0 to {high}, got a number too large to read",
        "{field}（{year}年）须为 0 至 {high}，实际数字过大无法读取",
    ),
    "year_negative": (
        "{field} for {year} must be ≥ 0, got {got}",
        "{field}（{year}年）须 ≥ 0，实际为 {got}",
    ),
    "year_above": (
        "{field} for {year} must be ≤ {high}, got {got}",
        "{field}（{year}年）须 ≤ {high}，实际为 {got}",
    ),
    "unknown_sector": (
        "{field}: unknown sector '{sector}' (one of {sectors})",
        "{field}：未知行业“{sector}”（须为 {sectors} 之一）",
    ),
    "sector_share": (
        "{field} for {sector} must be between 0 and 1, got {got}",
        "{field}（{sector}）须在 0 与 1 之间，实际为 {got}",
    ),
    "forced_both": (
        "projects both forced in and forced out: {ids}",
        "以下项目既被强制纳入又被强制排除：{ids}",
    ),
    "unknown_solver": (
        "solver must be one of {solvers}, got '{got}'",
        "求解器须为 {solvers} 之一，实际为“{got}”",
    ),
    "no_such_project": ("{field}: no such project {ids}", "{field}：没有此项目 {ids}"),
    "not_planning_year": (
        "{field}: {years} is not a planning year",
        "{field}：{years}不是规划年份",
    ),
    "min_shares_sum": (
        "the sectors' minimum shares add up to more than 1",
        "各行业投资占比下限之和超过1",
    ),
    "share_order": (
        "{sector}: minimum share {low} is above maximum share {high}",
        "{sector}：投资占比下限 {low} 高于上限 {high}",
    ),
    "ppp_order": (
        "ppp_min_share is above ppp_max_share",
        "社会资本投资占比下限高于上限",
    ),
    "unknown_keys": ("unknown scenario keys: {keys}", "未知的情景字段：{keys}"),
    "not_key_value": (
        "'{text}' is not of the form key=value",
        "“{text}”不是“字段=值”的形式",
    ),
    "unknown_key": ("unknown scenario key '{key}'", "未知的情景字段“{key}”"),
    "no_part": ("'{key}' takes no '.{part}' part", "“{key}”不带“.{part}”部分"),
    "needs_part": (
        "'{key}' needs a part, e.g. {key}.2023=250",
        "“{key}”须指明部分，例如 {key}.2023=250",
    ),
    "value_not_number": ("'{text}': the value is not a number", "“{text}”：值不是数字"),
    # A solve strategy the scenario names (issue 19).
    "unknown_strategy": (
        "solve_strategy must be one of {strategies}, got '{got}'",
        "求解策略须为 {strategies} 之一，实际为“{got}”",
    ),
    "strategy_needs_highs": (
        "solve_strategy '{strategy}' needs solver highs, got '{got}'",
        "求解策略“{strategy}”须使用求解器 highs，实际为“{got}”",
    ),
}
# A note on a workbook that could be read (optimizer.loader.Note's code); the English is the
# loader's own words.
NOTES: dict[str, Pair] = {
    "unknown_setting": (
        "settings row {row}: unknown key '{key}' ignored",
        "settings表第{row}行：未知的设置“{key}”，已忽略",
    ),
    "hidden_sheet": (
        "the {sheet} sheet '{title}' is hidden in Excel; it was read",
        "{sheet}表（“{title}”）在Excel中被隐藏；已照常读取",
    ),
    # A scenario replayed on another workbook than its own (SavedScenario.other_workbook):
    # {what} is the list of what it carries over (REPLAY_CARRIED).
    "other_workbook": (
        "the scenario was made from another workbook (fingerprint {mine}…; this workbook's "
        "is {here}…); it carries over {what}",
        "该情景来自另一个工作簿（指纹 {mine}…；本工作簿为 {here}…）；它带入了{what}",
    ),
}
# What a replayed scenario carries over from its own workbook (NOTES' other_workbook).
REPLAY_CARRIED: dict[str, Pair] = {
    "by_year": ("{field} in 亿元 by year: {items}", "{field}（亿元，按年）：{items}"),
    "year_here": ("{year} {amount} (here {here})", "{year}年 {amount}（本工作簿为 {here}）"),
    "year_not_here": ("{year} {amount} (not a year here)", "{year}年 {amount}（本工作簿无此年份）"),
    "gone": (
        "{field} ids no longer in this workbook: {ids}",
        "{field}中已不在本工作簿的项目：{ids}",
    ),
    "setting": ("{field} {value} (here {here})", "{field} {value}（本工作簿为 {here}）"),
    "nothing": ("nothing that differs from this workbook", "与本工作簿并无不同之处"),
}
# A file the command line cannot read or must not write (ScenarioError's and
# optimizer._files.OutputError's parts); the English is the error's own message.
FILE_PROBLEMS: dict[str, Pair] = {
    "scenario_file_missing": ("scenario file not found: {path}", "找不到情景文件：{path}"),
    "scenario_file_unreadable": (
        "cannot read the scenario file {path}: {reason}",
        "无法读取情景文件 {path}（{reason}）",
    ),
    "no_scenario_sheet": (
        "{path} is a workbook without a readable Scenario sheet ({reason})",
        "{path} 是工作簿，但没有可读的情景（Scenario）工作表（{reason}）",
    ),
    "not_scenario_file": (
        "{path} is neither a scenario JSON file (UTF-8 text) nor an Excel shortlist",
        "{path} 既不是情景JSON文件（UTF-8文本），也不是Excel项目清单",
    ),
    "reference_file_missing": ("reference file not found: {path}", "找不到参照文件：{path}"),
    # A shortlist given as a reference plan whose Shortlist sheet cannot be read.
    "plan_no_sheet": (
        "the workbook has no {sheets} sheet to read a plan from",
        "该工作簿没有可读取方案的“{sheets}”工作表",
    ),
    "plan_no_column": (
        "{title} sheet: no {columns} column in its first row",
        "“{title}”工作表第一行没有“{columns}”列",
    ),
    "plan_bad_year": (
        "{title} sheet row {row}, {project}: start year {year}",
        "“{title}”工作表第{row}行，{project}：开工年份{year}无法识别",
    ),
    "plan_listed_twice": (
        "{title} sheet row {row}: {project} is listed twice",
        "“{title}”工作表第{row}行：{project}重复列出",
    ),
    "reference_file_unreadable": (
        "cannot read the reference file {path}: {reason}",
        "无法读取参照文件 {path}（{reason}）",
    ),
    "no_plan_sheet": (
        "{path} is not an Excel shortlist with a readable plan ({reason})",
        "{path} 不是含可读方案的Excel项目清单（{reason}）",
    ),
    "not_reference_file": (
        "{path} is neither an Excel shortlist nor a `solve --json` output "
        '(an object whose "chosen" lists {{"project_id": …, "start_year": …}})',
        "{path} 既不是Excel项目清单，也不是 solve --json 的输出"
        '（其 "chosen" 列出 {{"project_id": …, "start_year": …}} 的对象）',
    ),
    "reference_entry": (
        "chosen[{k}] needs a text project_id and a whole start_year, got {got}",
        "chosen[{k}] 须有文本的 project_id 和整数的 start_year，实际为 {got}",
    ),
    "reference_twice": ("chosen[{k}]: {id} is listed twice", "chosen[{k}]：{id} 列出了两次"),
    "levers_two": (
        "--levers needs two levers separated by a comma, got '{got}'",
        "--levers 须为用逗号分隔的两个调节项，实际为“{got}”",
    ),
    "out_folder": ("cannot write {path}: it is a folder", "无法写入 {path}：这是一个文件夹"),
    "out_special": (
        "cannot write {path}: it is {kind}, not a file; it was left as it is "
        "(choose a file name for the output)",
        "无法写入 {path}：这是{kind}，不是文件；未作改动（请为输出选择一个文件名）",
    ),
    "out_no_folder": (
        "cannot write {path}: the folder {folder} does not exist",
        "无法写入 {path}：文件夹 {folder} 不存在",
    ),
    "out_read_only": (
        "{path} is read-only; it was left as it is (make it writable first)",
        "{path} 是只读文件；未作改动（请先设为可写）",
    ),
    "out_folder_locked": (
        "cannot write {path}: the folder {folder} is not writable",
        "无法写入 {path}：文件夹 {folder} 不可写",
    ),
    "out_is_input": (
        "{path} is the {kind} this run reads; it would be replaced. Choose another file for "
        "the output",
        "{path} 是本次运行读取的{kind}，会被覆盖。请为输出另选一个文件",
    ),
    "out_exists": (
        "{path} exists; it was left as it is (add --force to replace it)",
        "{path} 已存在；未作改动（加 --force 可替换）",
    ),
    # A sweep's own options (frontier, grid, break-even, robustness, limits).
    "workers_min": (
        "--workers must be at least 1, got {got}",
        "--workers 须至少为 1，实际为 {got}",
    ),
    # A --workers count beyond any local machine (cli.MOST_WORKERS).
    "workers_max": (
        "--workers must be at most {most} local processes, got {got}",
        "--workers 至多为 {most} 个本机进程，实际为 {got}",
    ),
    "workers_or_scheduler": (
        "give --workers (local processes) or --scheduler (a Dask cluster), not both",
        "请给出 --workers（本机进程）或 --scheduler（Dask集群）之一，不要同时给出",
    ),
    "scheduler_address": (
        "--scheduler needs a Dask scheduler's address such as tcp://127.0.0.1:8786, got '{got}'",
        "--scheduler 须为Dask调度器的地址，例如 tcp://127.0.0.1:8786，实际为“{got}”",
    ),
    "values_list": (
        "--values needs numbers ≥ 0 separated by commas, e.g. 0.5,1,1.5; got '{got}'",
        "--values 须为用逗号分隔的不小于 0 的数字，例如 0.5,1,1.5；实际为“{got}”",
    ),
    "points_min": ("--points must be at least 2, got {got}", "--points 须至少为 2，实际为 {got}"),
    "time_limit_range": (
        "--time-limit must be > 0 and ≤ {most} seconds, got {got}",
        "--time-limit 须大于 0 且不超过 {most} 秒，实际为 {got}",
    ),
    "gap_range": (
        "--gap must be between 0 and 1 (0.01 is 1 %), got {got}",
        "--gap 须在 0 与 1 之间（0.01 即 1%），实际为 {got}",
    ),
    "replay_refused": (
        "{note}. Add --allow-other-workbook to replay it anyway",
        "{note}。如仍要重放，请加 --allow-other-workbook",
    ),    # A file the system refused while it was written, or any other refusal of the system.
    "out_failed": ("cannot write {path}: {reason}", "无法写入 {path}（{reason}）"),
    "os_error": ("{path}: {reason}", "文件 {path}：{reason}"),
}
# What a file is, in Chinese (FILE_PROBLEMS' {kind}).
FILE_KINDS: dict[str, str] = {
    "a character device": "字符设备",
    "a block device": "块设备",
    "a named pipe (FIFO)": "命名管道（FIFO）",
    "a socket": "套接字",
    "not a regular file": "非普通文件",
    "workbook": "工作簿",
    "scenario file": "情景文件",
    "reference file": "参照文件",
}
# What the JSON reader found wrong (SCENARIO_PROBLEMS' not_json {reason}), in Chinese.
JSON_REASONS: dict[str, str] = {
    "Expecting value": "缺少值",
    "Expecting property name enclosed in double quotes": "缺少用双引号括起的字段名",
    "Expecting ',' delimiter": "缺少逗号",
    "Expecting ':' delimiter": "缺少冒号",
    "Extra data": "之后还有多余内容",
    "Unterminated string starting at": "字符串没有结束",
    "Invalid control character at": "含有无效的控制字符",
    "Invalid \\escape": "含有无效的转义",
    "Illegal trailing comma before end of object": "对象末尾多了逗号",
    "Illegal trailing comma before end of array": "列表末尾多了逗号",
}
# A column's bounds in words (PROBLEMS' {bounds}).
BOUNDS: dict[str, Pair] = {
    "between_exclusive": ("> {low} and ≤ {high}", "大于 {low} 且不大于 {high}"),
    "between": ("{low} to {high}", "{low} 至 {high}"),
    "above": ("> {low}", "大于 {low}"),
    "at_least": ("≥ {low}", "不小于 {low}"),
    "at_most": ("≤ {high}", "不大于 {high}"),
    "sensible": ("a number of sensible size", "合理大小的数字"),
}
# What an analysis refuses (optimizer.batch.AnalysisError's parts) in words; the English is
# the error's own message, word for word (a test holds the two together).
ANALYSIS_PROBLEMS: dict[str, Pair] = {
    "points_too_few": ("a frontier needs at least 2 points", "前沿曲线至少需要 2 个点"),
    "settings_range": (
        "{lever}: settings must be finite and ≥ 0, got {got}",
        "{lever}：设定值须为不小于 0 的有限数，实际为 {got}",
    ),
    "ppp_line_shares": (
        "ppp_line: settings are shares from 0 to 1, got {got}",
        "PPP财政承受能力红线的设定值须为 0 至 1 的比例，实际为 {got}",
    ),
    "unknown_lever": (
        "unknown lever '{got}'; choose from {levers}",
        "未知的调节项“{got}”；可选：{levers}",
    ),
    "highs_only": (
        "the trade-off analyses run on HiGHS; the scenario asks for {solver} (set solver=highs)",
        "权衡分析只能用HiGHS求解；该情景要求用 {solver}（请设 solver=highs）",
    ),
    "limits_highs_only": (
        "the value of each limit is measured on HiGHS; the scenario asks for {solver} "
        "(set solver=highs)",
        "各约束的价值只能用HiGHS测算；该情景要求用 {solver}（请设 solver=highs）",
    ),
    "current_other": (
        "{analysis}: current must be the solve of the scenario given",
        "{analysis}：所给的当前方案须为本情景的求解结果",
    ),
    "grid_same_lever": (
        "a grid needs two different levers",
        "热力图须用两个不同的调节项",
    ),
    "no_such_projects": (
        "break_even: no project {ids} in the workbook",
        "入选门槛：工作簿中没有项目 {ids}",
    ),
    "draws_min": ("robustness needs at least one draw", "稳健性分析至少需要抽样 1 次"),
    "draw_range": (
        "{name} must be a number in {bounds}, got {got}",
        "{name}须为 {bounds} 内的数，实际为 {got}",
    ),
    "plan_not_resolved": (
        "the current plan could not be re-solved ({status})",
        "当前方案无法重新求解（{status}）",
    ),
    "option_time_limit": ("time_limit_s must be > 0, got {got}", "求解时限须 > 0 秒，实际为 {got}"),
    "option_gap": (
        "mip_gap must be between 0 and 1, got {got}",
        "求解精度须在 0 与 1 之间，实际为 {got}",
    ),
    "option_node_limit": (
        "node_limit must be ≥ 1, got {got}",
        "节点数上限须 ≥ 1，实际为 {got}",
    ),
    "pool_workers": (
        "workers must be a whole number ≥ 1, got {got}",
        "进程数须为不小于 1 的整数，实际为 {got}",
    ),
    # The work limit that counts the root too (batch.RunOptions.work_limit).
    "option_work_limit": (
        "work_limit must be ≥ 1, got {got}",
        "计算量上限须 ≥ 1，实际为 {got}",
    ),
}
# The analyses and the robustness draws' settings as ANALYSIS_PROBLEMS name them, in Chinese.
ANALYSIS_NAMES: dict[str, str] = {
    "frontier": "前沿曲线",
    "break_even": "入选门槛",
    "spread": "每亿元就业波动",
    "overrun": "投资超支上限",
    "rate_spread": "自然再就业率波动",
}
# Why the system refused a file, by errno name (optimizer._files.OS_REASONS: the English is
# its words, word for word); any other reason is the system's own text.
OS_REASONS: dict[str, Pair] = {
    "EACCES": ("permission denied", "没有访问权限"),
    "EPERM": ("operation not permitted", "不允许该操作"),
    "ENOENT": ("no such file or folder", "没有该文件或文件夹"),
    "ENOSPC": ("no space left on the disk", "磁盘空间已满"),
    "EDQUOT": ("disk quota exceeded", "超出磁盘配额"),
    "EROFS": ("the disk is read-only", "磁盘为只读"),
    "EISDIR": ("it is a folder", "这是一个文件夹"),
    "ENOTDIR": ("a part of the path is not a folder", "路径中的某一部分不是文件夹"),
    "EEXIST": ("the file exists", "文件已存在"),
    "EBUSY": ("the file or device is busy", "文件或设备正忙"),
    "ETXTBSY": ("the file is busy", "文件正忙"),
    "ENAMETOOLONG": ("the file name is too long", "文件名过长"),
    "ELOOP": ("too many symbolic links", "符号链接层数过多"),
    "EIO": ("the disk could not be read or written (input/output error)", "磁盘读写出错"),
    "EFBIG": ("the file is too large", "文件过大"),
    "EMFILE": ("too many files open", "打开的文件过多"),
}
# Why a workbook given as a scenario or a reference has no readable sheet (FILE_PROBLEMS'
# {reason}), in Chinese; any other reason is said as "unreadable".
SHEET_REASONS: dict[str, str] = {
    "the workbook has no Scenario sheet": "工作簿中没有Scenario工作表",
}
# Why a solve gave no answer (optimizer.solver.SolverError's parts) in words; the English is
# the error's own message, word for word.
SOLVER_PROBLEMS: dict[str, Pair] = {
    "stopped": ("the solve was stopped before it finished", "求解在完成前被停止"),
    "solver_failed": ("the solver ({solver}) failed: {detail}", "求解器（{solver}）出错：{detail}"),
    "time_used_up": (
        "the time limit of {limit} s was used up before the solver started ({build} s "
        "preparing and building the model); raise time_limit_s",
        "求解器开始前 {limit} 秒的求解时限已用完（准备和构建模型用了 {build} 秒）；请延长求解时限",
    ),
    "time_used_up_loading": (
        "the time limit of {limit} s was used up before the solver started ({build} s "
        "preparing and building the model, after loading the workbook); raise time_limit_s",
        "求解器开始前 {limit} 秒的求解时限已用完（读取工作簿之后，准备和构建模型又用了 "
        "{build} 秒）；请延长求解时限",
    ),
    "no_portfolio_in_time": (
        "no portfolio was found within the time limit of {limit} s ({build} s of it preparing "
        "and building the model); raise time_limit_s",
        "在 {limit} 秒的求解时限内未找到可行方案（其中准备和构建模型用了 {build} 秒）；"
        "请延长求解时限",
    ),
    # A solve by blocks whose pool lost a worker (blocks.WORKERS_LOST).
    "workers_lost": (
        "a worker process ended before its blocks were solved (often because memory ran "
        "out): solve with fewer workers, or in one process",
        "一个工作进程在其分块求解完成前退出（常因内存不足）：请减少进程数，或在单个进程中求解",
    ),
}
# The solver's own reasons (SOLVER_PROBLEMS' {detail}) in Chinese; any other is HiGHS's text.
SOLVER_DETAILS: dict[str, str] = {
    "no portfolio": "没有可行方案",
    "no portfolio was found before the time limit": "到达时限前未找到可行方案",
    "no portfolio was found within the node limit": "在节点数上限内未找到可行方案",
    # The work limit that counts the root too (solver.WorkMeter).
    "no portfolio was found within the work limit": "在计算量上限内未找到可行方案",
    "stopped at the work limit": "达到计算量上限",
}

# Every table of pairs, for the test that both languages are there.
TABLES: dict[str, dict[str, Pair]] = {
    "TEXT": TEXT,
    "COLUMNS": COLUMNS,
    "SHEETS": SHEETS,
    "SECTOR_NAMES": SECTOR_NAMES,
    "INDUSTRY_NAMES": INDUSTRY_NAMES,
    "MECHANISM_NAMES": MECHANISM_NAMES,
    "STATUSES": STATUSES,
    "STRATEGY_NAMES": STRATEGY_NAMES,
    "LEVER_NAMES": LEVER_NAMES,
    "LIMIT_NAMES": LIMIT_NAMES,
    "FAMILY_NAMES": FAMILY_NAMES,
    "REASON_EXTRA": REASON_EXTRA,
    "REASON_NAMES": REASON_NAMES,
    "PPP_NOTES": PPP_NOTES,
    "CLASSES": CLASSES,
    "INPUTS": INPUTS,
    "PROBLEMS": PROBLEMS,
    "BOUNDS": BOUNDS,
    "SCENARIO_PROBLEMS": SCENARIO_PROBLEMS,
    "NOTES": NOTES,
    "FILE_PROBLEMS": FILE_PROBLEMS,
    "REPLAY_CARRIED": REPLAY_CARRIED,
    # What an analysis refuses.
    "ANALYSIS_PROBLEMS": ANALYSIS_PROBLEMS,    # Why the system refused a file.
    "OS_REASONS": OS_REASONS,    # Why a solve gave no answer.
    "SOLVER_PROBLEMS": SOLVER_PROBLEMS,
}

# argparse's usage errors, as Python 3.11 words them (English), in Chinese
# (Labels.usage_error_words): argparse refuses a command line before --language is read.
USAGE_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"the following arguments are required: (?P<names>.+)"), "缺少必需的参数：{names}"),
    (re.compile(r"unrecognized arguments: (?P<names>.+)"), "无法识别的参数：{names}"),
    (
        re.compile(
            r"argument (?P<name>[^:]+): invalid choice: (?P<value>.+?) "
            r"\(choose from (?P<choices>.+)\)"
        ),
        "参数 {name}：无效的选项 {value}（可选：{choices}）",
    ),
    (
        re.compile(r"argument (?P<name>[^:]+): invalid (?P<kind>\w+) value: (?P<value>.+)"),
        "参数 {name}：{value} 不是有效的{kind}",
    ),
    (re.compile(r"argument (?P<name>[^:]+): expected one argument"), "参数 {name} 后缺少取值"),
    (
        re.compile(r"argument (?P<name>[^:]+): not allowed with argument (?P<other>.+)"),
        "参数 {name} 不能与 {other} 同时使用",
    ),
)
USAGE_KINDS = {"int": "整数", "float": "数字"}

# Every code an error's parts may hold (Labels.error_words).
# A Dask scheduler that cannot be used (batch.SchedulerError's parts); the English is the
# error's own message, word for word.
SCHEDULER_PROBLEMS: dict[str, Pair] = {
    "scheduler_no_dask": (
        "a Dask scheduler needs the distributed package: pip install -e '.[dask]'",
        "使用Dask调度器需要安装distributed包：pip install -e '.[dask]'",
    ),
    "scheduler_unreachable": (
        "cannot reach the Dask scheduler at {address}: {detail}",
        "无法连接到 {address} 的Dask调度器：{detail}",
    ),
    "scheduler_no_worker": (
        "the Dask scheduler at {address} has no worker after {seconds} s ({detail}); "
        "start one with: dask worker {address} --nthreads 1",
        "{address} 的Dask调度器在 {seconds} 秒后仍没有工作进程（{detail}）；"
        "请用以下命令启动一个：dask worker {address} --nthreads 1",
    ),
}
_ERROR_WORDS: dict[str, Pair] = {
    **SCENARIO_PROBLEMS,
    **FILE_PROBLEMS,
    **ANALYSIS_PROBLEMS,
    **SOLVER_PROBLEMS,
    **SCHEDULER_PROBLEMS,
}

def city_year(key: str) -> tuple[str, int | None]:
    """A limit's key as (city, planning year): "Xuzhou 2023" for a row per city and year
    (the PPP lines in each planning year, the mass-layoff cap), "Xuzhou" (year None) for a
    city's row."""
    city, _, year = str(key).rpartition(" ")
    return (city, int(year)) if city and year.isdigit() else (str(key), None)


# The sample's jobs sources (their first clause, as short_source gives it) in words; a source
# not listed here is shown as the planner's workbook has it.
SOURCES: dict[str, Pair] = {
    "no figure found": ("no figure found", "无可用数据"),
    "CAICT/MIIT 207–344 jobs/亿 incl. indirect (R)": (
        "CAICT/MIIT 207–344 jobs/亿 incl. indirect (R)",
        "中国信通院/工信部：每亿元 207–344 个岗位，含间接就业（R）",
    ),
    "IMF WP/21/131 145–246 job-years/亿 (R)": (
        "IMF WP/21/131 145–246 job-years/亿 (R)",
        "IMF WP/21/131：每亿元 145–246 就业人年（R）",
    ),
    "IMF WP/21/131 10–17 direct jobs/US$1M = 145–246 job-years/亿 (R)": (
        "IMF WP/21/131 10–17 direct jobs/US$1M = 145–246 job-years/亿 (R)",
        "IMF WP/21/131：每百万美元 10–17 个直接岗位，即每亿元 145–246 就业人年（R）",
    ),
    "State Grid Energy Research Institute 2020: 700,000 jobs from 4,500亿 = 155 job-years/亿 (R)": (
        "State Grid Energy Research Institute 2020: 700,000 jobs from 4,500亿 = 155 "
        "job-years/亿 (R)",
        "国网能源研究院 2020：4,500亿元带动 70 万个岗位，即每亿元 155 就业人年（R）",
    ),
    "brownfield renewal of closed chemical/steel sites: upper part of IMF WP/21/131 145–246 "
    "job-years/亿 (E)": (
        "brownfield renewal of closed chemical/steel sites: upper part of IMF WP/21/131 "
        "145–246 job-years/亿 (E)",
        "关停化工/钢铁厂区改造：取 IMF WP/21/131 每亿元 145–246 就业人年的上段（E）",
    ),
}
# A clause cut at a ";" inside its brackets ("... (R; MoT 2012 ...)") reads as the whole one.
SOURCES["IMF WP/21/131 145–246 job-years/亿 (R"] = SOURCES["IMF WP/21/131 145–246 job-years/亿 (R)"]
SOURCES["IMF WP/21/131 10–17 direct jobs/US$1M = 145–246 job-years/亿 (R"] = SOURCES[
    "IMF WP/21/131 10–17 direct jobs/US$1M = 145–246 job-years/亿 (R)"
]


def _project(project: tuple[str, str]) -> str:
    return f"{project[0]} ({project[1]})"


class _Amount(float):
    """A number that a fixed-point template shows with at least `places` decimals, so two
    amounts that differ never print alike ("408.03 … 408.00", not "408.0 … 408.0") and a
    move never prints as 0.0."""

    places: int

    def __new__(cls, value: float, places: int) -> _Amount:
        amount = super().__new__(cls, value)
        amount.places = places
        return amount

    def __format__(self, spec: str) -> str:
        fixed = re.fullmatch(r"(.*)\.(\d+)f", spec)
        if fixed and int(fixed.group(2)) < self.places:
            spec = f"{fixed.group(1)}.{self.places}f"
        return float.__format__(self, spec)


def _places_apart(a: float, b: float) -> int:
    """The fewest decimals (at most 6) that show a and b apart, 0 when they are equal."""
    for places in range(7):
        if f"{a:.{places}f}" != f"{b:.{places}f}":
            return places
    return 0


def _places_not_zero(x: float) -> int:
    """The fewest decimals (at most 6) that keep a non-zero amount from showing as zero."""
    for places in range(7):
        if x == 0 or f"{abs(x):.{places}f}".strip("0."):
            return places
    return 6


def _amounts(c: Conflict, move: float | None = None) -> dict[str, Any]:
    """The conflict's set and needed amounts (and the mandatory projects' need, and the
    move) as numbers that show apart in any fixed-point template."""
    values = {"set": c.set_value, "needed": c.needed_value, **dict(c.facts)}
    if move is not None:
        values["move"] = move
    numbers = {k: v for k, v in values.items() if isinstance(v, int | float) and v == v}
    other = [numbers[k] for k in ("needed", "forced") if k in numbers]
    if "set" in numbers and other:
        places = max(_places_apart(x, numbers["set"]) for x in other)
        for k in ("set", "needed", "forced"):
            if k in numbers:
                values[k] = _Amount(numbers[k], places)
    if "move" in numbers:
        values["move"] = _Amount(numbers["move"], _places_not_zero(numbers["move"]))
    return values


def conflict_english(c: Conflict) -> str:
    """A conflict of the diagnosis as an English sentence (the CLI's, and the Chinese page's
    words for a limit that has no Chinese sentence)."""
    facts = _amounts(c)
    for name in ("project", "required"):
        if name in facts:
            facts[name] = _project(facts[name])
    if "projects" in facts:
        facts["projects"] = " and ".join(_project(p) for p in facts["projects"])
    template = CONFLICT_WORDS.get(f"{c.family}/{c.cause}") or CONFLICT_WORDS.get(c.cause)
    if template is None:
        template = CONFLICT_WORDS["move"]
    return template.format(family=c.family, key=c.key, unit=c.unit, **facts)


class Labels:
    """The words of one language. cities: {region id: Chinese name} (the workbook's name_zh),
    used in Chinese; other cities keep their id."""

    def __init__(self, language: str = "en", cities: Mapping[str, str] | None = None) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"language must be 'en' or 'zh', got '{language}'")
        self.language = language
        self.zh = language == "zh"
        self.index = 1 if self.zh else 0
        self.cities = {str(k): str(v) for k, v in (cities or {}).items() if v and v == v}

    @classmethod
    def for_solution(cls, solution: Any, language: str = "en") -> Labels:
        """The words for a solution's page: its cities' Chinese names."""
        return cls.for_regions(solution.reemployment, language)

    @classmethod
    def for_regions(cls, regions: pd.DataFrame, language: str = "en") -> Labels:
        """The words for a workbook's cities (a table with region and name_zh)."""
        return cls(language, dict(zip(regions["region"], regions["name_zh"], strict=True)))

    def pick(self, pair: Pair) -> str:
        return pair[self.index]

    def __call__(self, key: str, **values: Any) -> str:
        """A sentence or title, with {placeholders} filled."""
        return self.pick(TEXT[key]).format(**values)

    def column(self, key: str) -> str:
        return self.pick(COLUMNS[key]) if key in COLUMNS else key

    def sheet(self, key: str) -> str:
        return self.pick(SHEETS[key])

    def headers(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The frame with its column keys as headers in this language."""
        return frame.rename(columns={c: self.column(c) for c in frame.columns})

    def sector(self, sector: str) -> str:
        return self.pick(SECTOR_NAMES[sector]) if sector in SECTOR_NAMES else str(sector)

    def year(self, year: int) -> str:
        """A year as a column header: "2023" / "2023年"."""
        return f"{int(year)}年" if self.zh else str(int(year))

    def industry(self, industry: str) -> str:
        """An exiting industry (the displacement sheet's sector) in this language."""
        return self.pick(INDUSTRY_NAMES[industry]) if industry in INDUSTRY_NAMES else str(industry)

    def city(self, region: str) -> str:
        return self.cities.get(str(region), str(region)) if self.zh else str(region)

    def city_year(self, key: str) -> str:
        """A limit's key "city year" (or "city") with the city named in the page's language."""
        city, year = city_year(key)
        if year is None:
            return self.city(city)
        return f"{self.city(city)}{year}年" if self.zh else f"{self.city(city)} {year}"

    def mechanism(self, mechanism: str) -> str:
        if not mechanism or mechanism != mechanism:
            return ""
        return self.pick(MECHANISM_NAMES[mechanism]) if mechanism in MECHANISM_NAMES else mechanism

    def status(self, status: str) -> str:
        return self.pick(STATUSES[status]) if status in STATUSES else str(status)

    def strategy(self, strategy: str) -> str:
        """How a solve searched (a code of optimizer.strategies), in words."""
        return self.pick(STRATEGY_NAMES[strategy]) if strategy in STRATEGY_NAMES else strategy

    def lever(self, lever: str) -> str:
        return self.pick(LEVER_NAMES[lever])

    def unit(self, unit: str) -> str:
        return self.pick(UNITS[unit]) if unit in UNITS else unit

    def yes_no(self, value: Any) -> str:
        return self("yes") if bool(value) else self("no")

    def klass(self, name: str) -> str:
        return self.pick(CLASSES[name])

    def input(self, name: str) -> str:
        return self.pick(INPUTS[name]) if name in INPUTS else name

    def limit(self, family: str, key: Any, line: float | None = None) -> str:
        """A limit of the model in words, e.g. "Xuzhou's debt headroom" / "徐州债务空间"."""
        words = str(key)
        _, year = city_year(words)
        if year is not None and family in ("ppp_line", "government_pay_line", "layoff_cap"):
            words = self.city_year(words)  # a row per city and planning year
        elif family in (
            "debt_headroom",
            "ppp_line",
            "government_pay_line",
            "ppp_closed",
            "coverage_floor",
        ):
            words = self.city(words)
        elif family in ("sector_min", "sector_max"):
            words = self.sector(words)
        template = LIMIT_NAMES.get(family)
        if template is None:
            return f"{family} {words}"
        text = self.pick(template)
        if line is None or line != line:
            # No line given: the limit named without it, never a placeholder.
            text = re.sub(r"\s*[（(][^（(]*\{line\}[^）)]*[）)]", "", text)
            text = text.replace("{line} ", "").replace("{line}", "红线" if self.zh else "the line")
            return text.format(key=words)
        return text.format(key=words, line=f"{line:.0%}")

    def limit_family(self, family: str) -> str:
        return self.pick(FAMILY_NAMES[family]) if family in FAMILY_NAMES else family

    def list_of(self, items: Any) -> str:
        return ("、" if self.zh else ", ").join(str(v) for v in items)

    def clauses(self, items: Any) -> str:
        """Clauses that each hold a list of their own, joined."""
        return ("；" if self.zh else "; ").join(str(v) for v in items)

    def reason(self, code: str, region: str = "", line: float = 0.0, year: int = 2024) -> str:
        """Why a project is left out (a code of solution.REASON_CODES), its city named; year:
        the first year a new PPP must be user-pay (rule 7)."""
        return self.pick(REASON_NAMES[code]).format(city=self.city(region), line=line, year=year)

    def objective_reason(self, jobs: float | None, within_precision: bool) -> str:
        """The objective's reason, with the break-even when it is known."""
        if within_precision:
            return self.pick(REASON_EXTRA["within_precision"])
        if jobs is None or jobs != jobs:
            return self.reason("objective")
        if math.isinf(jobs):
            return self.pick(REASON_EXTRA["objective_never"])
        return self.pick(REASON_EXTRA["objective_jobs"]).format(jobs=self.people(jobs))

    def conflict(self, conflict: Conflict) -> str:
        """One conflict of the diagnosis as a sentence. In Chinese, a limit without its own
        sentence is named in words with its numbers (or, with none, the English sentence
        after the limit's name)."""
        c = conflict
        template = self.pick(CONFLICTS[c.family]) if c.family in CONFLICTS else ""
        known = not any(v is None or v != v for v in (c.set_value, c.needed_value))
        if template and known:
            shown = _amounts(c, move=c.needed_value - c.set_value)
            return template.format(
                key=c.key,
                place=self.city_year(c.key),
                set=shown["set"],
                needed=shown["needed"],
                move=shown["move"],
            )
        if not self.zh:
            return conflict_english(c)
        what = self.limit(c.family, c.key)
        if known:
            unit = self.unit(str(c.unit))
            shown = _amounts(c)
            return self.pick(CONFLICTS["_numbers"]).format(
                limit=what, set=shown["set"], needed=shown["needed"], unit=unit
            )
        return self.pick(CONFLICTS["_words"]).format(limit=what, message=conflict_english(c))

    def bounds(self, low: str | None, high: str | None, exclusive: bool) -> str:
        """A column's allowed range in words, as the contract's bounds_text says it."""
        if low is not None and high is not None:
            key = "between_exclusive" if exclusive else "between"
        elif low is not None:
            key = "above" if exclusive else "at_least"
        elif high is not None:
            key = "at_most"
        else:
            key = "sensible"
        return self.pick(BOUNDS[key]).format(low=low, high=high)

    def problem(self, problem: Any) -> str:
        """A workbook's problem (optimizer.loader.Problem) in this language; a problem with
        no code keeps the loader's English message."""
        if problem.code not in PROBLEMS:
            return problem.message
        values = dict(problem.values)
        if "titles" in values:  # look-alike sheets: each title, with its state when not shown
            states = {"hidden": "已隐藏", "veryHidden": "深度隐藏"}
            shown = []
            for title, state in zip(values["titles"], values["states"], strict=True):
                said = f"“{title}”" if self.zh else f"'{title}'"
                if state in states:
                    said += f"（{states[state]}）" if self.zh else f" ({state})"
                shown.append(said)
            values["name"] = problem.sheet
            values["shown"] = ("和" if self.zh else " and ").join(shown)
        if "exclusive" in values:
            values["bounds"] = self.bounds(values["low"], values["high"], values["exclusive"])
        if values.get("errno") in OS_REASONS:
            values["reason"] = self.pick(OS_REASONS[values["errno"]])
        words = self.pick(PROBLEMS[problem.code]).format(**values)
        if "setting" in values and "{setting}" not in self.pick(PROBLEMS[problem.code]):
            # A settings cell's problem, after the setting's key ("ppp_cap_share must be ...").
            words = f"{values['setting']}{'：' if self.zh else ' '}{words}"
        return words

    def note(self, note: str) -> str:
        """A note on the workbook (optimizer.loader.Note) in this language; a note with no
        code keeps its English words."""
        code = getattr(note, "code", "")
        if code not in NOTES:
            return str(note)
        values = dict(note.values)  # type: ignore[attr-defined]
        if "carried" in values:
            values["what"] = self._carried(values.pop("carried"))
        return self.pick(NOTES[code]).format(**values)

    def _carried(self, carried: tuple[tuple[str, Any], ...]) -> str:
        """What a replayed scenario carries over, in this language."""
        said = []
        for code, pairs in carried:
            values = dict(pairs)
            field = values["field"]
            values["field"] = self.pick(INPUTS[field]) if self.zh and field in INPUTS else field
            if code == "by_year":
                items = [
                    self.pick(REPLAY_CARRIED["year_not_here" if here is None else "year_here"])
                    .format(year=year, amount=f"{amount:,.6g}", here=f"{here or 0:,.6g}")
                    for year, amount, here in values.pop("amounts")
                ]
                values["items"] = ("、" if self.zh else ", ").join(items)
            if code == "setting":
                values["value"], values["here"] = f"{values['value']:g}", f"{values['here']:g}"
            said.append(self.pick(REPLAY_CARRIED[code]).format(**values))
        if not said:
            return self.pick(REPLAY_CARRIED["nothing"])
        return self.clauses(said)

    def usage_error_words(self, message: str) -> str:
        """argparse's usage error (its English message) in this language; one it does not
        know keeps its English."""
        if self.zh:
            for pattern, words in USAGE_ERRORS:
                if found := pattern.fullmatch(message):
                    values = found.groupdict()
                    if "kind" in values:
                        values["kind"] = USAGE_KINDS.get(values["kind"], values["kind"])
                    return words.format(**values)
        return message

    def error_words(self, error: object) -> str:
        """An error's words in this language: a scenario's problem (ScenarioError), a file
        the command line cannot read or write (OutputError), an analysis's refusal
        (AnalysisError), a solve with no answer (SolverError, or the page's kept failure);
        the system's own refusal of a file by its errno; one with no code keeps its English
        message."""
        parts = getattr(error, "parts", ())
        if not parts and isinstance(error, OSError) and error.errno and error.filename:
            # The system's own refusal of a file: its reason by errno, in this language.
            name = errno.errorcode.get(error.errno, "")
            parts = (("os_error", (("path", error.filename), ("errno", name), ("reason", "-"))),)
            if name not in OS_REASONS:
                return str(error)
        if not parts or any(code not in _ERROR_WORDS for code, _ in parts):
            return str(error)
        said = [self._scenario_part(code, dict(values)) for code, values in parts]
        words = self.clauses(said)
        where = getattr(error, "where", "")
        return f"{where}{'：' if self.zh else ': '}{words}" if where else words

    def _scenario_part(self, code: str, values: dict[str, Any]) -> str:
        if values.get("errno") in OS_REASONS:
            values["reason"] = self.pick(OS_REASONS[values["errno"]])
        elif self.zh and code in ("no_scenario_sheet", "no_plan_sheet") and "reason" in values:
            values["reason"] = SHEET_REASONS.get(values["reason"], "内容无法识别")
        if self.zh and "field" in values:
            name = INPUTS.get(values["field"])
            values["field"] = f"“{self.pick(name)}”" if name else values["field"]
        if self.zh and code == "not_json":
            values["reason"] = JSON_REASONS.get(values["reason"], "格式有误")
        if self.zh and "bounds" in values:
            values["bounds"] = values["bounds"].replace("between 0 and 1", "0 至 1")
            values["bounds"] = values["bounds"].replace(" to ", " 至 ")
        if "note" in values:
            values["note"] = self.note(values["note"])
        if self.zh and "kind" in values:
            values["kind"] = FILE_KINDS.get(values["kind"], values["kind"])
        if "levers" in values:  # the levers an analysis knows, by the names it is given
            levers = values["levers"]
            shown = [f"{k}：{self.lever(k)}" if self.zh else k for k in levers]
            values["levers"] = ("；" if self.zh else ", ").join(shown)
        if self.zh:
            if "lever" in values:
                values["lever"] = self.lever(values["lever"])
            for key in ("analysis", "name"):
                if key in values:
                    values[key] = ANALYSIS_NAMES.get(values[key], values[key])
            if "status" in values:
                values["status"] = self.status(values["status"])
            if "detail" in values:
                values["detail"] = SOLVER_DETAILS.get(values["detail"], values["detail"])
        return self.pick(_ERROR_WORDS[code]).format(**values)

    def source(self, text: str) -> str:
        """A jobs source's first clause in the language, when a translation exists."""
        pair = SOURCES.get(text)
        return self.pick(pair) if pair else text

    def ppp_note(self, row: Any) -> str:
        """A city's PPP standing in words (a row of Solution.by_region), "" when none is
        needed."""
        code = row["ppp_code"]
        if not code:
            return ""
        values = dict(
            before=row["ppp_ratio_before"],
            after=row["ppp_ratio"],
            cap=row["ppp_line"],
            pay=row["government_pay_line"],
            warn=row["warning_line"],
        )
        note = self.pick(PPP_NOTES[code]).format(**values)
        if code == "over_government_pay_before" and row["ppp_warning"]:
            # Both facts matter: the 5 % line bars government-pay projects, and the city is
            # above the warning level too.
            note += self("ppp_warning_too", **values)
        return note

    def difference(self, change: Difference, unit: str = "") -> str:
        """A difference between two solves in words: a signed figure, or within solver
        precision (± x)."""
        shown_unit = (unit if self.zh else " " + unit) if unit else ""
        if change.within_precision:
            bound = "?" if math.isinf(change.tolerance) else f"{change.tolerance:,.0f}"
            return self("within_precision", bound=bound, unit=shown_unit)
        return f"{change.value:+,.0f}{shown_unit}"

    def infeasible_text(self, conflicts: list[Conflict]) -> str:
        """The diagnosis as one text: a heading, then one line a limit to move."""
        lines = "\n".join(f"- {self.conflict(c)}" for c in conflicts)
        return self("infeasible_text") + "\n" + (lines or "- (the solver gave no detail)")

    # ------------------------------------------------------------------------ numbers

    def people(self, value: float, unit: str = "人") -> str:
        """Persons (or 人年 with unit="人年"): 万 in Chinese from 10,000 on."""
        if self.zh:
            if abs(value) >= 1e4:
                return f"{value / 1e4:,.2f} 万{unit}"
            return f"{value:,.0f} {unit}"
        return f"{value:,.0f}"

    def worker_years(self, value: float) -> str:
        return self.people(value, "人年")

    def money(self, value: float) -> str:
        return f"{value:,.0f} 亿元" if abs(value) >= 100 else f"{value:,.2f} 亿元"

    @staticmethod
    def share(value: float) -> str:
        return f"{value:.1%}"

    def count_axis(self) -> tuple[float, str]:
        """(divisor, suffix) for a chart axis of counts: 万 in Chinese."""
        return (1e4, "万") if self.zh else (1.0, "")
