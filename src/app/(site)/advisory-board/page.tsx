import { getBoard } from '../../../site/data'

export const dynamic = 'force-dynamic'

const AdvisoryBoardPage = async () => {
  const board = await getBoard()
  return (
    <main data-advisory-board>
      <h1>Medical advisory board</h1>
      <p>Every article is reviewed for accuracy by a member of our medical advisory board before it is published.</p>
      {board.map((reviewer) => (
        <section key={reviewer.id} id={reviewer.slug ?? String(reviewer.id)}>
          <h2>
            {reviewer.name}, {reviewer.credentials}
          </h2>
          {reviewer.specialties?.length ? <p>{reviewer.specialties.join(', ')}</p> : null}
          {reviewer.bio ? <p>{reviewer.bio}</p> : null}
          <p>
            <strong>Disclosures:</strong> {reviewer.disclosures || 'None declared.'}
          </p>
        </section>
      ))}
    </main>
  )
}

export default AdvisoryBoardPage
