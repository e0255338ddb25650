/**
 * The statistics page's chart island: reads the figures embedded as JSON and draws three
 * Apache ECharts charts above the data tables. Without JavaScript the tables are the page.
 */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

interface Data {
  months: string[];
  received: number[];
  closed: number[];
  onTime: (number | null)[];
  satisfaction: (number | null)[];
  repeat: (number | null)[];
  departments: { name: string; received: number; onTime: number | null }[];
}

function draw(): void {
  const source = document.getElementById('figures-data');
  const box = document.querySelector<HTMLElement>('[data-figures-charts]');
  if (!source || !box) return;
  const data = JSON.parse(source.textContent ?? '{}') as Data;
  box.hidden = false;
  const chart = (id: string, option: echarts.EChartsCoreOption) => {
    const el = document.getElementById(id);
    if (!el) return;
    el.style.width = '100%';
    el.style.height = '320px';
    echarts.init(el, undefined, { renderer: 'svg' }).setOption(option);
  };
  chart('chart-volume', {
    tooltip: { trigger: 'axis' },
    legend: { data: ['受理量', '办结量'] },
    xAxis: { type: 'category', data: data.months },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: '受理量', type: 'bar', data: data.received },
      { name: '办结量', type: 'bar', data: data.closed },
    ],
  });
  chart('chart-rates', {
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v}%` : '—') },
    legend: { data: ['按时办结率', '满意率', '重复投诉率'] },
    xAxis: { type: 'category', data: data.months },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      { name: '按时办结率', type: 'line', data: data.onTime, connectNulls: true },
      { name: '满意率', type: 'line', data: data.satisfaction, connectNulls: true },
      { name: '重复投诉率', type: 'line', data: data.repeat, connectNulls: true },
    ],
  });
  chart('chart-departments', {
    tooltip: { trigger: 'axis' },
    legend: { data: ['受理量', '按时办结率'] },
    grid: { left: 200 },
    yAxis: { type: 'category', data: data.departments.map((d) => d.name), inverse: true },
    xAxis: [{ type: 'value', minInterval: 1 }, { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } }],
    series: [
      { name: '受理量', type: 'bar', data: data.departments.map((d) => d.received) },
      { name: '按时办结率', type: 'bar', xAxisIndex: 1, data: data.departments.map((d) => d.onTime) },
    ],
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', draw);
else draw();
