/**
 * The legend and series of a donut chart, laid out for the width it is drawn at.
 *
 * On a phone there is no room beside the ring for outside slice labels (they are cut to
 * "Fe… 57…."), so the labels are hidden and a legend to the right of the ring lists every
 * slice as "name share" (long names wrap; a very long list pages). Wider screens keep the
 * labels the page gives and a legend of names below the ring.
 */
import type { PieSeriesOption } from 'echarts/charts'
import type { ChartOption } from './echarts'
import { formatPct } from '../data'

export interface Slice {
  name: string
  value: number
}

export interface DonutLayout {
  radius: [string, string]
  center: [string, string]
  label: NonNullable<PieSeriesOption['label']>
}

/**
 * `compact`: hide the slice labels and list "name share" beside the ring (phones, or more
 * slices than a legend line below holds); otherwise `wide` as given with a legend below.
 */
export function donutParts(slices: Slice[], compact: boolean, wide: DonutLayout): Pick<ChartOption, 'legend' | 'series'> {
  const data = slices.map((s) => ({ name: s.name, value: s.value }))
  if (!compact) {
    return {
      legend: { type: 'scroll', bottom: 0 },
      series: [{ type: 'pie', radius: wide.radius, center: wide.center, avoidLabelOverlap: true, label: wide.label, data }],
    }
  }
  const sum = slices.reduce((s, x) => s + Math.max(0, x.value), 0)
  const share = new Map(slices.map((s) => [s.name, formatPct(sum ? (Math.max(0, s.value) * 100) / sum : 0)]))
  return {
    legend: {
      type: 'scroll',
      orient: 'vertical',
      left: '52%',
      right: 0,
      top: 'middle',
      itemGap: 8,
      itemWidth: 12,
      itemHeight: 12,
      pageIconSize: 10,
      // Plain text: a name is data and may hold the braces of ECharts' rich-text markup.
      formatter: (name: string) => `${name}  ${share.get(name) ?? ''}`,
      textStyle: { width: 130, overflow: 'break' },
    },
    series: [{ type: 'pie', radius: ['34%', '62%'], center: ['26%', '50%'], label: { show: false }, labelLine: { show: false }, data }],
  }
}
