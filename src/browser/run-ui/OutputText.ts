import { defineComponent, h, type PropType } from 'vue'
import type { OutputStream } from '../../shared/exec/run'
import type { OutputBlock } from './output-log'

const STREAM_NAMES: Readonly<Record<OutputStream, string>> = {
  stdout: 'Output: ',
  stderr: 'Error output: ',
}

/**
 * The output's text: one span per block, so a new write patches only the last one. A render
 * function rather than a template, because whitespace between tags inside a <pre> would show.
 * Screen readers hear which stream a stretch of text comes from; the eye sees its colour.
 */
export default defineComponent({
  name: 'OutputText',
  props: {
    blocks: { type: Array as PropType<readonly OutputBlock[]>, required: true },
  },
  setup(props) {
    return () => {
      // Output with no errors in it reads plainly; once both streams are there, each stretch is named.
      const mixed = props.blocks.some((b) => b.stream === 'stderr')
      return h(
        'pre',
        { class: 'output-text' },
        props.blocks.map((block) =>
          h(
            'span',
            { key: block.id, class: ['chunk', block.stream], 'data-stream': block.stream },
            mixed && block.opens
              ? [h('span', { class: 'sr-only' }, STREAM_NAMES[block.stream]), block.text]
              : block.text,
          ),
        ),
      )
    }
  },
})
