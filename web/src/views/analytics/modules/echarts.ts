/**
 * ECharts with only what the analysis pages draw (tree-shaken: core + four chart types +
 * four components + canvas). Imported by the analysis views only, so it lands in their
 * lazily loaded chunk and not in the app's first load.
 */
import { use, init } from 'echarts/core'
import type { ComposeOption, EChartsType } from 'echarts/core'
import { BarChart, HeatmapChart, LineChart, PieChart } from 'echarts/charts'
import type { BarSeriesOption, HeatmapSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts'
import { GridComponent, LegendScrollComponent, TooltipComponent, VisualMapContinuousComponent } from 'echarts/components'
import type {
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

use([BarChart, HeatmapChart, LineChart, PieChart, GridComponent, LegendScrollComponent, TooltipComponent, VisualMapContinuousComponent, CanvasRenderer])

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | HeatmapSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
>

export { init }
export type { EChartsType }
